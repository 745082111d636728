// ensureService against a stand-in service script (no build, no root): it must start one
// detached process for concurrent callers, wait for /_ping, and report a failed start with
// the service's own output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureService, serviceOutputPath } from '../../../runtime/client/ensure';

// Answers /_ping on SLIPWAY_SOCKET after a delay, records its pid and ELECTRON_RUN_AS_NODE.
const fakeService = `
const fs = require('fs'), http = require('http'), path = require('path');
fs.appendFileSync(path.join(process.env.SLIPWAY_ROOT, 'starts'), process.pid + ' ' + process.env.ELECTRON_RUN_AS_NODE + '\\n');
setTimeout(() => http.createServer((q, s) => s.end('OK')).listen(process.env.SLIPWAY_SOCKET), 150);
process.on('SIGTERM', () => process.exit(0));
`;
const failingService = `process.stderr.write('state directory is broken\\n'); process.exit(3);`;

function setup(t: { after(fn: () => void): void }, script: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-ensure-'));
  const servicePath = path.join(dir, 'service.js');
  fs.writeFileSync(servicePath, script);
  const stateRoot = path.join(dir, 'state');
  const socketPath = path.join(dir, 's.sock');
  t.after(() => {
    for (const line of fs.existsSync(path.join(stateRoot, 'starts')) ? fs.readFileSync(path.join(stateRoot, 'starts'), 'utf8').trim().split('\n') : []) {
      try { process.kill(Number(line.split(' ')[0]), 'SIGKILL'); } catch { /* gone */ }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { servicePath, stateRoot, socketPath };
}

test('concurrent callers start one service and all wait for it', async (t) => {
  const opts = setup(t, fakeService);
  const results = await Promise.all([ensureService(opts), ensureService(opts), ensureService(opts)]);
  const starts = fs.readFileSync(path.join(opts.stateRoot, 'starts'), 'utf8').trim().split('\n');
  assert.equal(starts.length, 1, 'exactly one process was started');
  const [pid, electronFlag] = starts[0].split(' ');
  assert.equal(electronFlag, '1', 'ELECTRON_RUN_AS_NODE=1 is set for the service');
  assert.ok(results.every((r) => r.started && r.pid === Number(pid)));
  const again = await ensureService(opts);
  assert.deepEqual(again, { started: false });
});

test('a service that exits at once is reported with its output', async (t) => {
  const opts = setup(t, failingService);
  await assert.rejects(ensureService({ ...opts, timeoutMs: 3_000 }), (e: unknown) => {
    const m = (e as Error).message;
    return m.includes('did not start') && m.includes('code 3') && m.includes('state directory is broken') && m.includes(serviceOutputPath(opts.stateRoot));
  });
});

test('a missing bundle is named', async (t) => {
  const opts = setup(t, '');
  await assert.rejects(ensureService({ ...opts, servicePath: path.join(os.tmpdir(), 'no-such-service.js') }), /no-such-service\.js is missing/);
});
