// `run --rm IMG true` and `exec CTR true` as a client that is already running sees them: the
// slipway CLI's own command code (create, attach, wait, start; exec create, start, inspect),
// called in this process against the service, as the VS Code extension host — a long-lived
// Node process — drives the same API. What it leaves out is a Node start-up per command (~26 ms
// here for Node 20), which the hyperfine rows of bench/run-exec.sh include. Medians of N
// alternating runs, after a warm-up; each command's exit code is checked.
//
//   SLIPWAY_SOCKET=… npx tsx bench/api-latency.ts IMG CTR [N]
import { Writable } from 'node:stream';
import { runCli } from '../runtime/cli/dispatch';
import { commands } from '../runtime/cli/commands/index';

const [image, container, n = '20'] = process.argv.slice(2);
if (!image || !container) throw new Error('usage: api-latency.ts IMAGE CONTAINER [N]');
const N = Number(n);
const nothing = () => new Writable({ write(_chunk, _enc, done) { done(); } });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(argv: string[]): Promise<number> {
  const t = performance.now();
  const code = await runCli(argv, { stdout: nothing(), stderr: nothing(), env: process.env, cwd: process.cwd() }, commands);
  if (code !== 0) throw new Error(`slipway ${argv.join(' ')} exited ${code}`);
  return performance.now() - t;
}

async function main(): Promise<void> {
  const run = ['run', '--rm', image, 'true'];
  const exec = ['exec', container, 'true'];
  for (let i = 0; i < 3; i++) { await timed(run); await timed(exec); }
  const times = { run: [] as number[], exec: [] as number[] };
  for (let i = 0; i < N; i++) {
    times.run.push(await timed(run));
    times.exec.push(await timed(exec));
  }
  for (const [name, xs] of Object.entries(times)) {
    console.log(`  in-process client ${name.padEnd(5)} median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}, ${N} runs)`);
  }
}

void main().catch((err) => { console.error(err); process.exitCode = 1; });
