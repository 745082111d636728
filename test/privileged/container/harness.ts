// Shared set-up for the container tests: a busybox rootfs (plain or as overlay layers with an
// init layer), a run helper that returns exit status and output, and the cleanup checks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LibcSyscalls } from '../../../runtime/linux/libc';
import { bundlePath } from '../../../runtime/paths';
import type { RuntimeSpec } from '../../../runtime/container/spec';
import { startContainer, type ContainerProcess } from '../../../runtime/container/start/start';
import { writeInitLayer } from '../../../runtime/container/start/init-layer';
import { dockerLikeSpec, makeBusyboxRootfs } from '../../helpers/rootfs';

/**
 * Private copies of the dist/ bundles this suite runs: other test runs on the machine may
 * `npm run build` (which empties dist/) while ours are between containers.
 */
export const bundles = (() => {
  let dir: string | undefined;
  return () => {
    if (!dir) {
      const cache = path.join(bundlePath('..'), '.cache'); // inside the repo: koffi resolves from node_modules
      fs.mkdirSync(cache, { recursive: true });
      const d = fs.mkdtempSync(path.join(cache, 'bundles-'));
      for (const name of ['init.js', 'container-worker.js']) {
        const src = bundlePath(name);
        if (!fs.existsSync(src)) throw new Error(`${src} is missing: run npm run build first`);
        fs.copyFileSync(src, path.join(d, name));
      }
      process.on('exit', () => fs.rmSync(d, { recursive: true, force: true }));
      dir = d;
    }
    return { initPath: path.join(dir, 'init.js'), workerPath: path.join(dir, 'container-worker.js') };
  };
})();

export const sys = (() => { let s: LibcSyscalls | undefined; return () => (s ??= new LibcSyscalls()); })();

export interface Box {
  dir: string;
  image: string;
  init: string;
  upper: string;
  work: string;
  merged: string;
  out: string;
  cleanup(): void;
}

/** A fresh container dir: image (busybox) + init layer + upper/work + merged mount point. */
export function makeBox(): Box {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-ctr-'));
  const image = makeBusyboxRootfs(path.join(dir, 'image')).path;
  const box = {
    dir, image,
    init: path.join(dir, 'init'), upper: path.join(dir, 'upper'), work: path.join(dir, 'work'),
    merged: path.join(dir, 'merged'), out: path.join(dir, 'out.log'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  for (const d of [box.upper, box.work]) fs.mkdirSync(d);
  writeInitLayer(box.init, { hostname: 'slipwaytest', hostResolvConf: 'nameserver 127.0.0.53\nnameserver 10.0.0.2\n' });
  return box;
}

/** Docker-like spec on the overlay of `box`; stdout+stderr into box.out. */
export function boxSpec(box: Box, args: string[], edit?: (s: RuntimeSpec) => void): RuntimeSpec {
  const spec = dockerLikeSpec(box.merged, args, { stdin: 'null', stdoutFile: box.out, stderrFile: box.out });
  spec.slipway = { ...spec.slipway!, overlay: { lowerDirs: [box.init, box.image], upperDir: box.upper, workDir: box.work } };
  edit?.(spec);
  return spec;
}

export async function run(box: Box, args: string[], edit?: (s: RuntimeSpec) => void): Promise<{ exitCode: number; signal?: string; output: string }> {
  fs.rmSync(box.out, { force: true });
  const c = await startContainer(boxSpec(box, args, edit), { sys: sys(), ...bundles() });
  const status = await c.exited;
  return { ...status, output: fs.existsSync(box.out) ? fs.readFileSync(box.out, 'utf8') : '' };
}

export async function start(box: Box, args: string[], edit?: (s: RuntimeSpec) => void, cgroupProcs?: string[]): Promise<ContainerProcess> {
  return startContainer(boxSpec(box, args, edit), { sys: sys(), cgroupProcs, ...bundles() });
}

/** Host mount points under `dir` (there must be none once its containers are gone). */
export { mountsUnder as hostMountsUnder } from '../../helpers/mounts';

/** Waits until `file` contains `text` (output written by a running container). */
export async function waitForText(read: () => string, text: string, ms = 5000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const now = read();
    if (now.includes(text)) return now;
    if (Date.now() > until) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(now)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
