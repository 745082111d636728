// Set-up for the builder tests: a temp state root with an image store holding a busybox base
// image (test/helpers/rootfs.ts: root, user 1000, group staff 50), a Builder on the real
// syscalls with private copies of the init/worker bundles, and helpers to build a Dockerfile
// from a table row and read the result through its layer stack.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Builder, type BuildRequest } from '../../../runtime/build/executor';
import { mountsUnder } from '../../helpers/mounts';
import type { BuildEvent } from '../../../runtime/build/events';
import { ImageStore, importRootfs, type ImageRecord } from '../../../runtime/image';
import { LibcSyscalls } from '../../../runtime/linux/libc';
import { makeBusyboxRootfs } from '../../helpers/rootfs';
import { bundles } from '../container/harness';

export const BASE = 'slipway-test/busybox:latest';

export interface Bench {
  dir: string;
  state: string;
  store: ImageStore;
  builder: Builder;
  /** Writes `files` (path → content; a trailing "/" makes a dir) as a fresh context. */
  context(files: Record<string, string>): string;
  build(context: string, options?: Partial<BuildRequest>): Promise<{ image?: ImageRecord; events: BuildEvent[]; error?: Error }>;
  /** The file at `p` as the image's layers show it (topmost first; undefined when absent or whited out). */
  stat(image: ImageRecord, p: string): Promise<fs.Stats | undefined>;
  read(image: ImageRecord, p: string): Promise<string | undefined>;
  cleanup(): Promise<void>;
}

export async function bench(): Promise<Bench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-build-'));
  const state = path.join(dir, 'state');
  const store = await ImageStore.open(path.join(state, 'image'));
  const rootfs = makeBusyboxRootfs(path.join(dir, 'rootfs')).path;
  const tar = spawn('tar', ['-C', rootfs, '--numeric-owner', '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await importRootfs(store, tar.stdout, { names: [BASE], changes: ['CMD ["/bin/sh"]'] });
  const sys = new LibcSyscalls();
  const builder = new Builder({ store, stateRoot: state, sys, start: bundles() });
  let contexts = 0;
  const stat = async (image: ImageRecord, p: string) => {
    const { dirs } = await store.lowerDirs(image.id);
    for (const d of dirs) {
      let st: fs.Stats;
      try { st = fs.lstatSync(path.join(d, p)); } catch { continue; }
      return st.isCharacterDevice() && st.rdev === 0 ? undefined : st;
    }
    return undefined;
  };
  return {
    dir, state, store, builder,
    context(files) {
      const ctx = path.join(dir, `ctx${contexts++}`);
      fs.mkdirSync(ctx);
      for (const [p, content] of Object.entries(files)) {
        const abs = path.join(ctx, p);
        if (p.endsWith('/')) { fs.mkdirSync(abs, { recursive: true }); continue; }
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, content);
      }
      return ctx;
    },
    async build(context, options = {}) {
      const events: BuildEvent[] = [];
      try {
        const r = await builder.build({ context, dockerfile: path.join(context, 'Dockerfile'), ...options }, (e) => events.push(e));
        return { image: await store.get(r.imageId), events };
      } catch (error) {
        return { events, error: error as Error };
      }
    },
    stat,
    async read(image, p) {
      const st = await stat(image, p);
      if (!st?.isFile()) return undefined;
      const { dirs } = await store.lowerDirs(image.id);
      for (const d of dirs) if (fs.existsSync(path.join(d, p))) return fs.readFileSync(path.join(d, p), 'utf8');
      return undefined;
    },
    async cleanup() {
      const left = mountsUnder(dir);
      fs.rmSync(dir, { recursive: true, force: true });
      if (left.length > 0) throw new Error(`mounts left under ${dir}: ${left.join(', ')}`);
    },
  };
}

/** The step-end events of a build, in order. */
export function stepEnds(events: BuildEvent[]): Array<Extract<BuildEvent, { type: 'step-end' }>> {
  return events.filter((e): e is Extract<BuildEvent, { type: 'step-end' }> => e.type === 'step-end');
}
