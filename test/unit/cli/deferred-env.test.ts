// bin/slipway parks NODE_EXTRA_CA_CERTS for every command but login (Node 20 parses the file
// at start-up); the CLI puts it back first thing, for the service it starts and `run -e`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFERRED_CA_CERTS, restoreDeferredEnv } from '../../../runtime/cli/deferred-env';

const restore: Array<[string, NodeJS.ProcessEnv, NodeJS.ProcessEnv]> = [
  ['parked value comes back', { [DEFERRED_CA_CERTS]: '/ca.pem', A: '1' }, { NODE_EXTRA_CA_CERTS: '/ca.pem', A: '1' }],
  ['nothing parked: unchanged', { A: '1' }, { A: '1' }],
  ['a value set meanwhile wins; the parked one is dropped', { [DEFERRED_CA_CERTS]: '/ca.pem', NODE_EXTRA_CA_CERTS: '/other.pem' }, { NODE_EXTRA_CA_CERTS: '/other.pem' }],
];
for (const [name, env, want] of restore) {
  test(`restoreDeferredEnv: ${name}`, () => {
    const e = { ...env };
    restoreDeferredEnv(e);
    assert.deepEqual(e, want);
  });
}

const launcher: Array<[string, string[], Record<string, string>]> = [
  ['run: parked', ['run', '--rm', 'img', 'true'], { NODE_EXTRA_CA_CERTS: '', [DEFERRED_CA_CERTS]: '/ca.pem' }],
  ['exec: parked', ['exec', 'c', 'true'], { NODE_EXTRA_CA_CERTS: '', [DEFERRED_CA_CERTS]: '/ca.pem' }],
  ['login (TLS in the CLI): kept', ['login', 'reg.example'], { NODE_EXTRA_CA_CERTS: '/ca.pem', [DEFERRED_CA_CERTS]: '' }],
];
for (const [name, args, want] of launcher) {
  test(`bin/slipway: ${name}`, () => {
    // SLIPWAY_NODE stands in for node: it prints what the CLI's Node would have been given.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-launcher-'));
    try {
      const fake = path.join(dir, 'node');
      fs.writeFileSync(fake, `#!/bin/sh\necho "NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS"\necho "${DEFERRED_CA_CERTS}=$${DEFERRED_CA_CERTS}"\n`, { mode: 0o755 });
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', SLIPWAY_NODE: fake, NODE_EXTRA_CA_CERTS: '/ca.pem' };
      const r = spawnSync(path.resolve(__dirname, '../../../bin/slipway'), args, { env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const seen = Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      assert.deepEqual(seen, want);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
