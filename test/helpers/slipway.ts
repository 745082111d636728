// Driving Slipway from tests: the CLI in-process (its real dispatch and command table, output
// captured) and the teardown of a service started through bin/slipway on a temp state dir.
import assert from 'node:assert/strict';
import type { SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../runtime/cli/dispatch';
import { commands } from '../../runtime/cli/commands/index';
import { mountsUnder } from './mounts';

export interface CliResult { code: number; out: string; err: string }

function sink() {
  let text = '';
  return { stream: new Writable({ write(c, _e, cb) { text += String(c); cb(); } }), get text() { return text; } };
}

/** Runs `slipway ARGV` in this process with `env` and `cwd`; never throws on a non-zero exit. */
export function inProcessCli(env: NodeJS.ProcessEnv, cwd: string): (...argv: string[]) => Promise<CliResult> {
  return async (...argv) => {
    const out = sink();
    const err = sink();
    const code = await runCli(argv, { stdout: out.stream, stderr: err.stream, env, cwd }, commands);
    return { code, out: out.text, err: err.text };
  };
}

/** Like inProcessCli, but asserts exit 0 and returns stdout. */
export function inProcessCliOk(env: NodeJS.ProcessEnv, cwd: string): (...argv: string[]) => Promise<string> {
  const cli = inProcessCli(env, cwd);
  return async (...argv) => {
    const r = await cli(...argv);
    assert.equal(r.code, 0, `slipway ${argv.join(' ')} failed: ${r.out}\n${r.err}`);
    return r.out;
  };
}

/**
 * Stops the service of a temp state dir (`DIR/state`) through `slipway service stop`, SIGKILL
 * if that fails, then checks that no mount is left under DIR and removes it.
 */
export function stopSlipwayAndClean(dir: string, slipway: (...args: string[]) => SpawnSyncReturns<string>): void {
  if (slipway('service', 'stop').status !== 0) {
    try {
      const pid = JSON.parse(fs.readFileSync(path.join(dir, 'state', 'service.lock'), 'utf8')).pid as number;
      process.kill(pid, 'SIGKILL');
    } catch { /* not running */ }
  }
  assert.deepEqual(mountsUnder(dir), [], 'no mount left under the slipway temp dir');
  fs.rmSync(dir, { recursive: true, force: true });
}
