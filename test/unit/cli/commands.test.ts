import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { CliError, connect } from '../../../runtime/cli/api';
import type { CliContext } from '../../../runtime/cli/command';
import { formatInfo } from '../../../runtime/cli/commands/info';
import { serviceCommand, EXIT_NOT_RUNNING } from '../../../runtime/cli/commands/service';
import { clientVersion, formatVersion } from '../../../runtime/cli/commands/version';
import { hostFacts, infoBody, versionBody } from '../../../runtime/service/system-info';

function ctxWith(env: NodeJS.ProcessEnv): CliContext & { out(): string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d) => { text += d; });
  return { stdout, stderr: new PassThrough(), env, cwd: '/', out: () => text };
}

test('version prints Client and Server sections like docker', () => {
  const text = formatVersion(clientVersion(), versionBody(hostFacts()));
  assert.match(text, /^Client:\n Version: +\d+\.\d+\.\d+\n API version: +1\.45\n/);
  assert.match(text, /\n\nServer: Slipway\n Engine:\n {2}Version: +\d+\.\d+\.\d+\n {2}API version: +1\.45 \(minimum version 1\.24\)\n/);
  assert.match(text, new RegExp(`Kernel version: +${os.release().replace(/[.]/g, '\\.')}`));
});

test('info prints counts, driver and memory in docker\'s units', () => {
  const info = infoBody({ host: { ...hostFacts(), memTotal: 25_274_953_728 }, stateRoot: '/s', containers: { total: 2, running: 1, paused: 0, stopped: 1 }, images: 4, now: new Date() });
  const text = formatInfo({ ...info, Warnings: ['No swap limit support'] });
  assert.match(text, /^Server:\n Containers: 2\n {2}Running: 1\n {2}Paused: 0\n {2}Stopped: 1\n Images: 4\n/);
  assert.match(text, / Storage Driver: overlay2\n/);
  assert.match(text, / Total Memory: 23\.54GiB\n/);
  assert.match(text, / Root Dir: \/s\n/);
  assert.match(text, /WARNING: No swap limit support\n$/);
});

test('a user who is not root gets told what is needed when the service is down', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cli-'));
  try {
    const ctx = ctxWith({ SLIPWAY_SOCKET: path.join(dir, 's.sock'), SLIPWAY_ROOT: path.join(dir, 'state') });
    await assert.rejects(connect(ctx, { getuid: () => 1000 }), (e: unknown) => e instanceof CliError
      && /needs root privileges/.test(e.message) && /unshare --user --map-root-user/.test(e.message) && /\/etc\/subuid/.test(e.message));
    assert.equal(fs.existsSync(path.join(dir, 'state')), false, 'nothing was started');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('service status on a stopped service: "stopped", exit 3; stop is a no-op', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cli-'));
  try {
    const env = { SLIPWAY_SOCKET: path.join(dir, 's.sock'), SLIPWAY_ROOT: path.join(dir, 'state') };
    const status = ctxWith(env);
    assert.equal(await serviceCommand.run(['status'], status), EXIT_NOT_RUNNING);
    assert.match(status.out(), /^slipway service: stopped\n Socket: +.*s\.sock\n/);
    const json = ctxWith(env);
    await serviceCommand.run(['status', '--format', 'json'], json);
    assert.equal(JSON.parse(json.out()).status, 'stopped');
    const stop = ctxWith(env);
    assert.equal(await serviceCommand.run(['stop'], stop), 0);
    assert.equal(stop.out(), 'slipway service is not running\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('service without a sub-command prints its usage and fails', async () => {
  const ctx = ctxWith({});
  let err = '';
  ctx.stderr.on('data', (d) => { err += d; });
  assert.equal(await serviceCommand.run(['restart'], ctx), 1);
  assert.match(err, /unknown service command "restart"[\s\S]*Usage: {2}slipway service COMMAND/);
});
