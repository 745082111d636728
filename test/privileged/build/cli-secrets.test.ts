// `slipway build --secret` and `slipway builder prune` end to end: the CLI (in-process) talks
// to a service (in-process, real socket, temp state) whose builder runs RUN steps for real.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImageStore, importRootfs } from '../../../runtime/image';
import { startService, type RunningService } from '../../../runtime/service/start';
import { mountsUnder } from '../../helpers/mounts';
import { ApiClient } from '../../../runtime/client/client';
import { privileged } from '../../helpers/tiers';
import { makeBusyboxRootfs } from '../../helpers/rootfs';
import { inProcessCli } from '../../helpers/slipway';
import { BASE } from './harness';

describe('slipway build --secret, builder prune', privileged, () => {
  let dir: string;
  let service: RunningService;
  let cli: ReturnType<typeof inProcessCli>;
  let socketPath: string;
  const secret = `tok-${process.pid}-${Date.now()}`;
  const hash = createHash('sha256').update(secret).digest('hex');

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-secrets-'));
    const state = path.join(dir, 'state');
    const store = await ImageStore.open(path.join(state, 'image'));
    const rootfs = makeBusyboxRootfs(path.join(dir, 'rootfs')).path;
    const tar = spawn('tar', ['-C', rootfs, '--numeric-owner', '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await importRootfs(store, tar.stdout, { names: [BASE], changes: ['CMD ["/bin/sh"]'] });
    socketPath = path.join(dir, 'run', 'slipway.sock');
    service = await startService({ stateRoot: state, socketPath, level: 'error' });
    cli = inProcessCli({ ...process.env, SLIPWAY_ROOT: state, SLIPWAY_SOCKET: socketPath, TOKEN: secret }, dir);
    fs.writeFileSync(path.join(dir, 'secret.txt'), secret);
  });
  after(async () => {
    await service.stop();
    const left = mountsUnder(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(left, [], 'no mount left');
  });

  const check = (id: string) => `RUN --mount=type=secret,id=${id},required test "$(sha256sum < /run/secrets/${id} | cut -d' ' -f1)" = ${hash}`;
  const cases: Array<{ name: string; flag: string; id: string }> = [
    { name: 'from a file', flag: 'id=file,src=secret.txt', id: 'file' },
    { name: 'from an environment variable', flag: 'id=envtok,env=TOKEN', id: 'envtok' },
  ];
  for (const c of cases) {
    test(`a secret ${c.name} reaches RUN and nothing else`, async () => {
      const ctx = fs.mkdtempSync(path.join(dir, 'ctx-'));
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${BASE}\n${check(c.id)} && echo ok > /ok\n`);
      const r = await cli('build', '--secret', c.flag, '-t', `secret-test:${c.id}`, ctx);
      assert.equal(r.code, 0, r.out + r.err);
      assert.ok(!r.out.includes(secret) && !r.err.includes(secret), 'the secret is not printed');
      const history = await cli('history', '--no-trunc', `secret-test:${c.id}`);
      assert.ok(!history.out.includes(secret));
      // Without the flag the required secret is missing: refused at its line.
      const missing = await cli('build', '--no-cache', ctx);
      assert.equal(missing.code, 1);
      assert.match(missing.err, /Dockerfile:2: .*secret \w+ is required but was not provided/);
    });
  }

  test('a bad --secret is refused before anything is sent', async () => {
    const r = await cli('build', '--secret', 'id=x,src=/nonexistent/file', dir);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /secret x: cannot read \/nonexistent\/file/);
  });

  test('builder prune (and POST /build/prune) removes cache mounts and cached steps', async () => {
    const ctx = fs.mkdtempSync(path.join(dir, 'ctx-'));
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${BASE}\nRUN --mount=type=cache,id=pkgs,target=/cache dd if=/dev/zero of=/cache/blob bs=1024 count=256 2>/dev/null\n`);
    assert.equal((await cli('build', ctx)).code, 0);
    const r = await cli('builder', 'prune', '-f');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Deleted build cache objects:\npkgs\n/);
    assert.match(r.out, /Total reclaimed space: 2[5-9]\d(\.\d)?kB\n/, 'about the 256 KiB the step wrote (docker prints decimal units)');
    // Nothing left: the Engine API route answers with an empty list.
    const client = new ApiClient({ socketPath });
    try {
      const again = await client.post<{ CachesDeleted: string[]; SpaceReclaimed: number }>('/build/prune');
      assert.deepEqual(again, { CachesDeleted: [], SpaceReclaimed: 0 });
    } finally {
      client.close();
    }
    // The step was forgotten too: the next build runs it again.
    const rebuilt = await cli('build', ctx);
    assert.doesNotMatch(rebuilt.out, /CACHED/);
  });
});
