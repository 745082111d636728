import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../../../runtime/client/client';
import { startService } from '../../../runtime/service/start';
import type { Setup } from '../../../runtime/service/setup';

test('setups run before the socket opens; a failing one is logged and the service still starts', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-setup-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const socketPath = path.join(dir, 's.sock');
  const order: string[] = [];
  const setups: Setup[] = [
    { name: 'broken', run: () => { order.push('broken'); throw new Error('store is damaged'); } },
    {
      name: 'containers',
      run: async (ctx) => {
        order.push(`containers socket-exists=${fs.existsSync(socketPath)}`);
        ctx.providers.containerCounts = async () => ({ total: 5, running: 2, paused: 1, stopped: 2 });
        ctx.providers.imageCount = async () => 9;
      },
    },
  ];
  const service = await startService({ stateRoot: path.join(dir, 'state'), socketPath, setups, level: 'error' });
  const client = new ApiClient({ socketPath });
  try {
    assert.deepEqual(order, ['broken', 'containers socket-exists=false']);
    const info = await client.get<Record<string, number>>('/info');
    assert.deepEqual([info.Containers, info.ContainersRunning, info.ContainersPaused, info.ContainersStopped, info.Images], [5, 2, 1, 2, 9]);
    const log = fs.readFileSync(path.join(dir, 'state', 'service.log'), 'utf8');
    assert.match(log, /"msg":"setup failed","setup":"broken","err":\{"message":"store is damaged"/);
  } finally {
    client.close();
    await service.stop();
  }
});

test('lazy parts are created once, shared, and closed at shutdown', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-lazy-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const service = await startService({ stateRoot: path.join(dir, 'state'), socketPath: path.join(dir, 's.sock'), setups: [], level: 'error' });
  let created = 0;
  let closed = 0;
  const make = async () => { created++; return { close: () => { closed++; } }; };
  const [a, b] = await Promise.all([service.ctx.lazy('part', make), service.ctx.lazy('part', make)]);
  assert.equal(a, b);
  assert.equal(created, 1);
  await assert.rejects(service.ctx.lazy('flaky', async () => { throw new Error('first try fails'); }));
  assert.deepEqual(await service.ctx.lazy('flaky', async () => 'second try'), 'second try');
  let aborted = false;
  service.ctx.shutdown.addEventListener('abort', () => { aborted = true; });
  await service.stop();
  assert.equal(closed, 1);
  assert.equal(aborted, true);
});
