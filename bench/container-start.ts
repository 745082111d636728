// Benchmark: `run IMG true` and `exec CTR true` with Slipway's runtime (library path: cold,
// and with a WorkerPool) side by side with runc and crun on an OCI bundle made from the SAME
// spec (the RuntimeSpec is OCI-shaped) and the same busybox rootfs. Needs root and
// `npm run build`. Usage: npx tsx bench/container-start.ts [iterations]
//
// runc/crun are timed as child processes (spawnSync, which adds a few ms of its own); Slipway
// in-process, without a CLI or the API in front. Each Slipway run gets a cgroup of its own, made
// before and removed after the timed part, as the service does (runc and crun make theirs inside
// the timed call), so the join's cost is in the numbers. crun 1.8 refuses the hybrid cgroup layout of
// this machine, so it runs under `unshare -m` after unmounting the empty cgroup2 (DESIGN.md).
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectCgroups } from '../runtime/cgroups';
import { LibcSyscalls } from '../runtime/linux/libc';
import { execInContainer } from '../runtime/container/exec/exec';
import { WorkerPool } from '../runtime/container/start/session';
import { startContainer } from '../runtime/container/start/start';
import type { RuntimeSpec } from '../runtime/container/spec';
import { dockerLikeSpec, makeBusyboxRootfs } from '../test/helpers/rootfs';

const N = Number(process.argv[2] ?? 20);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn: () => void) => { const t = performance.now(); fn(); return performance.now() - t; };
async function timeAsync(fn: () => Promise<unknown>): Promise<number> { const t = performance.now(); await fn(); return performance.now() - t; }

function ociConfig(spec: RuntimeSpec, args: string[]): object {
  const { slipway: _slipway, ...oci } = spec;
  // crun 1.8 knows runtime-spec versions up to 1.0.x; nothing used here is newer.
  return { ...oci, ociVersion: '1.0.2', process: { ...oci.process, args, terminal: false }, root: { path: 'rootfs' } };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-'));
  const bundle = path.join(dir, 'bundle');
  makeBusyboxRootfs(path.join(bundle, 'rootfs'));
  const out = path.join(dir, 'out.log');
  const spec = (args: string[]) => dockerLikeSpec(path.join(bundle, 'rootfs'), args, { stdin: 'null', stdoutFile: out, stderrFile: out });
  const sys = new LibcSyscalls();
  const rows: Array<[string, number, number]> = [];
  const sleepConfig = () => fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(ociConfig(spec(['sleep', '1000']), ['sleep', '1000'])));
  const trueConfig = () => fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(ociConfig(spec(['true']), ['true'])));

  const cgroups = detectCgroups();
  let serial = 0;
  const inCgroup = async (fn: (cgroupProcs: string[]) => Promise<unknown>): Promise<number> => {
    const cg = cgroups.create(`bench-${process.pid}-${serial++}`);
    try { return await timeAsync(() => fn(cg.procsFiles)); } finally { await cg.remove(); }
  };

  // --- Slipway, cold and pooled
  for (const mode of ['cold', 'pool'] as const) {
    const pool = mode === 'pool' ? new WorkerPool({ plain: 1, prewarm: { namespaces: ['pid', 'network', 'ipc', 'uts', 'mount', 'cgroup'] } }) : undefined;
    const settle = () => new Promise((r) => setTimeout(r, pool ? 300 : 0)); // a pool refills between requests
    await settle();
    const runs: number[] = [];
    for (let i = 0; i < N; i++) { runs.push(await inCgroup(async (cgroupProcs) => (await startContainer(spec(['true']), { sys, pool, cgroupProcs })).exited)); await settle(); }
    const sleeper = cgroups.create(`bench-${process.pid}-sleeper-${mode}`);
    const ctr = await startContainer(spec(['sleep', '1000']), { sys, pool, cgroupProcs: sleeper.procsFiles });
    const execs: number[] = [];
    for (let i = 0; i < N; i++) {
      execs.push(await timeAsync(async () => (await execInContainer(ctr.pid, { args: ['true'], env: [], cwd: '/', user: { uid: 0, gid: 0 } }, { sys, pool, cgroupProcs: sleeper.procsFiles })).exited));
      await settle();
    }
    ctr.kill();
    await ctr.exited;
    await sleeper.remove();
    await pool?.close();
    rows.push([`slipway (${mode})`, median(runs), median(execs)]);
  }

  // --- runc and crun on the same bundle
  const peers: Array<[string, (args: string[]) => string[]]> = [
    ['runc', (a) => ['runc', '--root', path.join(dir, 'runc-state'), ...a]],
    ['crun', (a) => ['unshare', '-m', '--propagation', 'private', 'sh', '-c',
      `umount /sys/fs/cgroup/unified 2>/dev/null; exec crun --root ${path.join(dir, 'crun-state')} ${a.map((x) => `'${x}'`).join(' ')}`]],
  ];
  for (const [name, cmd] of peers) {
    const [bin, ...rest] = cmd(['--version']);
    if (spawnSync(bin, rest).status !== 0) { console.log(`${name}: not available, skipped`); continue; }
    trueConfig();
    const runs: number[] = [];
    let failures = 0;
    for (let i = 0; i < N; i++) {
      const [b, ...a] = cmd(['run', '--bundle', bundle, `bench-${name}-${i}`]);
      runs.push(time(() => { failures += spawnSync(b, a, { stdio: 'ignore' }).status === 0 ? 0 : 1; }));
    }
    if (failures > 0) console.log(`${name}: ${failures} of ${N} runs failed; its timings are not comparable`);
    // exec needs a running container in the same mount namespace as the tool's state: runc only.
    let execMedian = NaN;
    if (name === 'runc') {
      sleepConfig();
      const [b, ...a] = cmd(['run', '--bundle', bundle, `bench-${name}-sleeper`]);
      const sleeper = spawn(b, a, { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 500));
      const execs: number[] = [];
      for (let i = 0; i < N; i++) {
        const [eb, ...ea] = cmd(['exec', `bench-${name}-sleeper`, 'true']);
        execs.push(time(() => spawnSync(eb, ea, { stdio: 'ignore' })));
      }
      const [kb, ...ka] = cmd(['kill', `bench-${name}-sleeper`, 'KILL']);
      spawnSync(kb, ka);
      await new Promise((r) => sleeper.once('exit', r));
      execMedian = median(execs);
    }
    rows.push([name, median(runs), execMedian]);
  }
  fs.rmSync(dir, { recursive: true, force: true });

  console.log(`\nmedians over ${N} iterations (ms), load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  console.log('runtime              run true   exec true');
  for (const [name, run, exec] of rows) console.log(`${name.padEnd(20)} ${run.toFixed(1).padStart(8)}   ${Number.isNaN(exec) ? '       -' : exec.toFixed(1).padStart(8)}`);
}

main().catch((err) => { console.error(err); process.exit(1); });
