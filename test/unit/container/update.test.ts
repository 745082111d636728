// docker update: moby's rules for merging a ContainerUpdate into a HostConfig (a zero field is
// "unchanged"), its wording, the limits written to a live cgroup (v1 and v2 temp hierarchies),
// and the record the store keeps.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CgroupsV1, CgroupsV2, nodeCgroupFs, sharesToWeight, type CgroupFs } from '../../../runtime/cgroups';
import type { HostConfig } from '../../../runtime/container/config';
import { ContainerStore } from '../../../runtime/container/state';
import { planUpdate, updateContainer, type UpdateRequest } from '../../../runtime/container/update';
import { makeRecord } from './state/fixtures';

const temps: string[] = [];
afterEach(() => { for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true }); });
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-update-')); temps.push(d); return d; };

const MB = 1024 * 1024;
const host = { cpus: 2 };

test('planUpdate: what changes in the HostConfig and what is written to the cgroup', () => {
  const cases: Array<[string, HostConfig, UpdateRequest, Partial<HostConfig>, ReturnType<typeof planUpdate>['resources']]> = [
    ['memory with memory+swap', {}, { Memory: 64 * MB, MemorySwap: 128 * MB }, { Memory: 64 * MB, MemorySwap: 128 * MB }, { memory: { limit: 64 * MB, swap: 128 * MB } }],
    ['memory under the swap already set', { Memory: 64 * MB, MemorySwap: 128 * MB }, { Memory: 100 * MB }, { Memory: 100 * MB, MemorySwap: 128 * MB }, { memory: { limit: 100 * MB } }],
    ['swap alone carries the memory limit (v2 writes swap - memory)', { Memory: 64 * MB, MemorySwap: 128 * MB }, { MemorySwap: 256 * MB }, { MemorySwap: 256 * MB }, { memory: { limit: 64 * MB, swap: 256 * MB } }],
    ['--cpus becomes quota/period', {}, { NanoCpus: 500_000_000 }, { NanoCpus: 500_000_000 }, { cpu: { period: 100_000, quota: 50_000 } }],
    ['quota keeps the period already set', { CpuPeriod: 50_000 }, { CpuQuota: 25_000 }, { CpuPeriod: 50_000, CpuQuota: 25_000 }, { cpu: { quota: 25_000, period: 50_000 } }],
    ['shares', {}, { CpuShares: 512 }, { CpuShares: 512 }, { cpu: { shares: 512 } }],
    ['pids limit', {}, { PidsLimit: 50 }, { PidsLimit: 50 }, { pids: { limit: 50 } }],
    ['pids -1 is unlimited', { PidsLimit: 50 }, { PidsLimit: -1 }, { PidsLimit: 0 }, { pids: { limit: -1 } }],
    ['pids null is unchanged', { PidsLimit: 50 }, { PidsLimit: null }, { PidsLimit: 50 }, undefined],
    ['restart policy only: no cgroup write', {}, { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } }, { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } }, undefined],
    ['zeros (the docker CLI\'s unset flags) change nothing', { Memory: 64 * MB, MemorySwap: 128 * MB, CpuShares: 100 }, { Memory: 0, MemorySwap: 0, CpuShares: 0, NanoCpus: 0, BlkioWeight: 0, CpusetCpus: '' }, {}, undefined],
  ];
  for (const [what, current, req, changed, resources] of cases) {
    const plan = planUpdate(current, req, host);
    assert.deepEqual(plan.hostConfig, { ...current, ...changed }, what);
    assert.deepEqual(plan.resources, resources, what);
  }
});

test('planUpdate: dockerd\'s refusals and their wording', () => {
  const cases: Array<[HostConfig, UpdateRequest, RegExp, number]> = [
    [{}, { Memory: 64 * MB }, /^Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time$/, 409],
    [{ Memory: 64 * MB, MemorySwap: 128 * MB }, { Memory: 256 * MB }, /Memory limit should be smaller than already set memoryswap limit/, 409],
    [{}, { Memory: 1024, MemorySwap: 4096 }, /^Minimum memory limit allowed is 6MB$/, 400],
    [{}, { MemorySwap: 64 * MB }, /You should always set the Memory limit when using Memoryswap limit/, 400],
    [{}, { Memory: 64 * MB, MemorySwap: 32 * MB }, /Minimum memoryswap limit should be larger than memory limit/, 400],
    [{ CpuQuota: 50_000 }, { NanoCpus: 1e9 }, /^Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set$/, 409],
    [{ CpuPeriod: 50_000 }, { NanoCpus: 1e9 }, /Nano CPUs cannot be updated as CPU Period has already been set/, 409],
    [{ NanoCpus: 1e9 }, { CpuQuota: 50_000 }, /CPU Quota cannot be updated as NanoCPUs has already been set/, 409],
    [{ NanoCpus: 1e9 }, { CpuPeriod: 50_000 }, /CPU Period cannot be updated as NanoCPUs has already been set/, 409],
    [{}, { NanoCpus: 3e9 }, /^Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available$/, 400],
    [{}, { CpuPeriod: 500 }, /CPU cfs period can not be less than 1ms/, 400],
    [{}, { CpuQuota: 500 }, /CPU cfs quota can not be less than 1ms/, 400],
    [{}, { RestartPolicy: { Name: 'sometimes' } }, /invalid restart policy: unknown policy 'sometimes'/, 400],
    [{ AutoRemove: true }, { RestartPolicy: { Name: 'always' } }, /^Restart policy cannot be updated because AutoRemove is enabled for the container$/, 400],
    [{}, { CpusetCpus: '0-1' }, /--cpuset-cpus \(CpusetCpus\) is not supported by slipway update/, 400],
    [{}, { BlkioWeight: 300 }, /--blkio-weight/, 400],
  ];
  for (const [current, req, message, status] of cases) {
    assert.throws(() => planUpdate(current, req, host), (err: Error & { status?: number }) => message.test(err.message) && err.status === status, `${JSON.stringify(req)} → ${message}`);
  }
});

function testFs(): CgroupFs {
  return { ...nodeCgroupFs, rmdir: (dir) => fs.rmSync(dir, { recursive: true }), kill: () => {} };
}

const ID = 'c'.repeat(64);

async function storeWith(hostConfig: Partial<HostConfig> = {}): Promise<ContainerStore> {
  const store = new ContainerStore(tmp());
  await store.load();
  const rec = makeRecord(ID, 'web');
  await store.create({ ...rec, hostConfig: { ...rec.hostConfig, ...hostConfig } });
  return store;
}

test('updateContainer: a live v2 cgroup gets the new limits, the record the new HostConfig, an update event', async () => {
  const root = tmp();
  fs.writeFileSync(path.join(root, 'cgroup.controllers'), 'cpu memory pids');
  fs.writeFileSync(path.join(root, 'cgroup.subtree_control'), '');
  const cgroups = new CgroupsV2(root, testFs());
  cgroups.create(ID, { memory: { limit: 64 * MB } });
  const dir = path.join(root, 'slipway', ID);
  fs.writeFileSync(path.join(dir, 'memory.swap.max'), 'max');
  const store = await storeWith({ Memory: 64 * MB, MemorySwap: 128 * MB });
  const events: string[] = [];
  const r = await updateContainer({ store, cgroups, host, publish: (rec, action) => events.push(`${action} ${rec.name}`) }, 'web', { Memory: 96 * MB, MemorySwap: 256 * MB, PidsLimit: 20, CpuShares: 2048 });
  assert.deepEqual(r, { Warnings: [] });
  assert.equal(fs.readFileSync(path.join(dir, 'memory.max'), 'utf8'), String(96 * MB));
  assert.equal(fs.readFileSync(path.join(dir, 'memory.swap.max'), 'utf8'), String(160 * MB));
  assert.equal(fs.readFileSync(path.join(dir, 'pids.max'), 'utf8'), '20');
  assert.equal(fs.readFileSync(path.join(dir, 'cpu.weight'), 'utf8'), String(sharesToWeight(2048)));
  const hc = store.get('web').hostConfig;
  assert.deepEqual([hc.Memory, hc.MemorySwap, hc.PidsLimit, hc.CpuShares], [96 * MB, 256 * MB, 20, 2048]);
  assert.deepEqual(events, ['update web']);
  // Reloaded from disk: the new HostConfig was written.
  const again = new ContainerStore(path.dirname(store.dir));
  await again.load();
  assert.equal(again.get('web').hostConfig.Memory, 96 * MB);
});

test('updateContainer: v1 raises memory+swap before memory when both go up; a stopped container only gets its record', async () => {
  const root = tmp();
  for (const c of ['memory', 'cpu', 'pids']) fs.mkdirSync(path.join(root, c));
  // The kernel's rule, faked: memory.limit_in_bytes may not exceed memory.memsw.limit_in_bytes.
  const writes: string[] = [];
  const fsx: CgroupFs = {
    ...testFs(),
    write(file, value) {
      const dir = path.dirname(file);
      const memsw = path.join(dir, 'memory.memsw.limit_in_bytes');
      const limit = path.join(dir, 'memory.limit_in_bytes');
      if (file === limit && fs.existsSync(memsw) && Number(value) > Number(fs.readFileSync(memsw, 'utf8'))) throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
      if (file === memsw && fs.existsSync(limit) && Number(value) < Number(fs.readFileSync(limit, 'utf8'))) throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
      writes.push(`${path.basename(file)}=${value}`);
      fs.writeFileSync(file, value);
    },
  };
  const cgroups = new CgroupsV1(root, fsx);
  cgroups.create(ID);
  const memDir = path.join(root, 'memory', 'slipway', ID);
  fs.writeFileSync(path.join(memDir, 'memory.limit_in_bytes'), String(64 * MB));
  fs.writeFileSync(path.join(memDir, 'memory.memsw.limit_in_bytes'), String(128 * MB));
  const store = await storeWith({ Memory: 64 * MB, MemorySwap: 128 * MB });
  writes.length = 0;
  await updateContainer({ store, cgroups, host }, ID, { Memory: 256 * MB, MemorySwap: 512 * MB });
  assert.deepEqual(writes, [`memory.memsw.limit_in_bytes=${512 * MB}`, `memory.limit_in_bytes=${256 * MB}`, `memory.memsw.limit_in_bytes=${512 * MB}`]);
  assert.equal(fs.readFileSync(path.join(root, 'memory', 'slipway', ID, 'memory.limit_in_bytes'), 'utf8'), String(256 * MB));

  // No cgroup (stopped): only the record changes.
  await cgroups.open(ID).remove();
  writes.length = 0;
  await updateContainer({ store, cgroups, host }, ID, { Memory: 32 * MB, MemorySwap: 64 * MB });
  assert.deepEqual(writes, []);
  assert.equal(store.get(ID).hostConfig.Memory, 32 * MB);
});

test('updateContainer: a refused update names the container and leaves the record as it was', async () => {
  const store = await storeWith({ Memory: 64 * MB, MemorySwap: 128 * MB });
  const cgroups = new CgroupsV2(tmp(), testFs());
  await assert.rejects(updateContainer({ store, cgroups, host }, 'web', { Memory: 512 * MB }), (err: Error & { status?: number }) => err.message === `Cannot update container ${ID}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time` && err.status === 409);
  assert.equal(store.get('web').hostConfig.Memory, 64 * MB);
  await assert.rejects(updateContainer({ store, cgroups, host }, 'nope', { Memory: 64 * MB }), /No such container: nope/);
});
