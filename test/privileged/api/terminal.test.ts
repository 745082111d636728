// `slipway exec -it` / `run -it` in a terminal (a pty made by util-linux script, which sends ^D
// to it as soon as its own stdin ends) while the machine is busy: the output must be exactly
// the command's bytes. A ^D that reached the CLI's terminal before it went raw used to come
// out as a NUL sent to the container and echoed back as "^@" (runtime/cli/commands/tty-input.ts);
// before the fix most iterations showed it, so eight catch it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { privileged } from '../../helpers/tiers';
import { IMAGE, sandbox, slipwayBin, type Sandbox } from './harness';

const ITERATIONS = 8;
let box: Sandbox;
const busy: ChildProcess[] = [];

before(async () => {
  if (process.getuid?.() !== 0) return;
  box = await sandbox();
  box.startService();
  const r = box.slipway('run', '-d', '--name', 'term', IMAGE, 'sleep', '300');
  assert.equal(r.status, 0, r.stderr);
  // Load: one busy loop per core, so the CLI's steps stretch out as they did when it was seen.
  for (let i = 0; i < os.cpus().length; i++) busy.push(spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
});
after(async () => {
  for (const b of busy) b.kill('SIGKILL');
  await box?.cleanup();
});

function inPty(cmd: string) {
  return box.run('script', ['-qec', cmd, '/dev/null'], { input: '', timeout: 20_000 });
}

test('exec -it under load: the output is exactly the command\'s bytes, every time', privileged, () => {
  const bad: string[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const r = inPty(`${slipwayBin} exec -it term printf 'a\\tb\\nline %s\\n' ${i}`);
    const want = `a\tb\r\nline ${i}\r\n`;
    if (r.status !== 0 || r.stdout !== want) bad.push(`#${i}: exit ${r.status}, ${JSON.stringify(r.stdout)} ${r.stderr}`);
  }
  assert.deepEqual(bad, []);
});

test('run -it --rm under load: exactly the command\'s bytes', privileged, () => {
  for (let i = 0; i < 3; i++) {
    const r = inPty(`${slipwayBin} run -it --rm ${IMAGE} printf 'run %s\\n' ${i}`);
    assert.deepEqual([r.status, r.stdout], [0, `run ${i}\r\n`], r.stderr);
  }
});
