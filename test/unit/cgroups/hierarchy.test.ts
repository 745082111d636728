// v1 and v2 against temporary directories laid out like /sys/fs/cgroup. A plain directory
// differs from cgroupfs in two ways that the test fs below papers over: control files do not
// appear by themselves, and a directory with files cannot be rmdir'ed.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CgroupsV1, CgroupsV2, detectCgroupVersion, nodeCgroupFs, type CgroupFs } from '../../../runtime/cgroups';

const temps: string[] = [];
afterEach(() => { for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true }); });

function tempRoot(layout: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cg-'));
  temps.push(root);
  for (const [rel, content] of Object.entries(layout)) {
    const p = path.join(root, rel);
    fs.mkdirSync(rel.endsWith('/') ? p : path.dirname(p), { recursive: true });
    if (!rel.endsWith('/')) fs.writeFileSync(p, content);
  }
  return root;
}

function testFs(killed: Array<[number, string]> = [], onKill?: (pid: number) => void): CgroupFs {
  return {
    ...nodeCgroupFs,
    rmdir: (dir) => fs.rmSync(dir, { recursive: true }),
    kill: (pid, sig) => { killed.push([pid, sig]); onKill?.(pid); },
  };
}

const read = (p: string) => fs.readFileSync(p, 'utf8');
const ID = 'a'.repeat(64);

test('detect: cgroup.controllers at the root is v2, per-controller dirs are v1', () => {
  assert.equal(detectCgroupVersion(tempRoot({ 'cgroup.controllers': 'cpu memory pids' })), 2);
  assert.equal(detectCgroupVersion(tempRoot({ 'memory/': '', 'cpu/': '', 'unified/cgroup.controllers': '' })), 1);
  assert.throws(() => detectCgroupVersion(tempRoot({ 'nothing/': '' })), /no cgroup hierarchy/);
});

test('v2: create enables controllers, writes limits, returns one cgroup.procs', () => {
  const root = tempRoot({ 'cgroup.controllers': 'cpuset cpu io memory pids', 'cgroup.subtree_control': '' });
  const cg = new CgroupsV2(root, testFs()).create(ID, { memory: { limit: 1000, swap: 3000 }, cpu: { quota: 20000, period: 100000, shares: 1024 }, pids: { limit: 64 } });
  const dir = path.join(root, 'slipway', ID);
  assert.deepEqual(cg.procsFiles, [path.join(dir, 'cgroup.procs')]);
  assert.equal(read(path.join(root, 'cgroup.subtree_control')), '+memory +cpu +pids +io');
  assert.equal(read(path.join(root, 'slipway', 'cgroup.subtree_control')), '+memory +cpu +pids +io');
  assert.equal(read(path.join(dir, 'memory.max')), '1000');
  assert.equal(read(path.join(dir, 'cpu.max')), '20000 100000');
  assert.equal(read(path.join(dir, 'cpu.weight')), '100');
  assert.equal(read(path.join(dir, 'pids.max')), '64');
  // memory.swap.max is optional (no swap accounting): absent file, no write.
  assert.equal(fs.existsSync(path.join(dir, 'memory.swap.max')), false);
});

test('v2: stats, oom count, freeze/thaw and remove', async () => {
  const root = tempRoot({ 'cgroup.controllers': 'memory pids cpu' });
  const killed: Array<[number, string]> = [];
  const dir = path.join(root, 'slipway', ID);
  const cgroups = new CgroupsV2(root, testFs(killed, () => fs.writeFileSync(path.join(dir, 'cgroup.procs'), '')));
  const cg = cgroups.create(ID);
  fs.writeFileSync(path.join(dir, 'memory.current'), '2048\n');
  fs.writeFileSync(path.join(dir, 'memory.max'), 'max\n');
  fs.writeFileSync(path.join(dir, 'pids.current'), '2\n');
  fs.writeFileSync(path.join(dir, 'cpu.stat'), 'usage_usec 5\nuser_usec 3\nsystem_usec 2\n');
  fs.writeFileSync(path.join(dir, 'memory.events'), 'oom 1\noom_kill 1\n');
  fs.writeFileSync(path.join(dir, 'cgroup.procs'), '42\n43\n');
  const s = cg.stats();
  assert.equal(s.memory.usage, 2048);
  assert.equal(s.memory.limit, undefined);
  assert.equal(s.pids.current, 2);
  assert.equal(s.cpu.totalNs, 5000);
  assert.equal(cg.oomKillCount(), 1);
  assert.deepEqual(cg.pids(), [42, 43]);

  // The kernel answers a freeze through cgroup.events; here we play the kernel.
  fs.writeFileSync(path.join(dir, 'cgroup.events'), 'populated 1\nfrozen 0\n');
  const frozen = cg.freeze(2000);
  setTimeout(() => fs.writeFileSync(path.join(dir, 'cgroup.events'), 'populated 1\nfrozen 1\n'), 30);
  await frozen;
  assert.equal(read(path.join(dir, 'cgroup.freeze')), '1');
  assert.equal(cg.isFrozen(), true);
  await cg.thaw();
  assert.equal(read(path.join(dir, 'cgroup.freeze')), '0');

  fs.writeFileSync(path.join(dir, 'cgroup.events'), 'frozen 0\n');
  await cg.remove(2000);
  assert.deepEqual(killed, [[42, 'SIGKILL'], [43, 'SIGKILL']]);
  assert.equal(fs.existsSync(dir), false);
  assert.equal(cgroups.exists(ID), false);
});

test('v2: a freeze that never completes times out and thaws again', async () => {
  const root = tempRoot({ 'cgroup.controllers': 'memory' });
  const cg = new CgroupsV2(root, testFs()).create(ID);
  await assert.rejects(cg.freeze(50), /did not freeze within 50 ms/);
  assert.equal(read(path.join(root, 'slipway', ID, 'cgroup.freeze')), '0');
});

test('v1: one directory per hierarchy under slipway/, co-mounted cpu,cpuacct folded', () => {
  const root = tempRoot({ 'memory/memory.limit_in_bytes': '', 'cpu,cpuacct/cpu.shares': '', 'pids/': '', 'freezer/': '' });
  fs.symlinkSync('cpu,cpuacct', path.join(root, 'cpu'));
  fs.symlinkSync('cpu,cpuacct', path.join(root, 'cpuacct'));
  const cg = new CgroupsV1(root, testFs()).create(ID, { memory: { limit: 4096, swap: 8192 }, cpu: { shares: 512, quota: 50000, period: 100000 }, pids: { limit: 10 } });
  const procs = cg.procsFiles.map((p) => path.relative(root, p)).sort();
  assert.deepEqual(procs, ['cpu,cpuacct', 'freezer', 'memory', 'pids'].map((h) => `${h}/slipway/${ID}/cgroup.procs`));
  const at = (h: string, f: string) => read(path.join(root, h, 'slipway', ID, f));
  assert.equal(at('memory', 'memory.limit_in_bytes'), '4096');
  assert.equal(at('cpu,cpuacct', 'cpu.shares'), '512');
  assert.equal(at('cpu,cpuacct', 'cpu.cfs_quota_us'), '50000');
  assert.equal(at('pids', 'pids.max'), '10');
});

test('v1: a limit for a missing controller is an error and leaves no directory', () => {
  const root = tempRoot({ 'memory/': '', 'freezer/': '' });
  assert.throws(() => new CgroupsV1(root, testFs()).create(ID, { pids: { limit: 5 } }), /controller "pids" is not available/);
  assert.equal(fs.existsSync(path.join(root, 'memory', 'slipway', ID)), false);
});

test('ids that could climb out of slipway/ are refused', () => {
  const root = tempRoot({ 'cgroup.controllers': '' });
  assert.throws(() => new CgroupsV2(root, testFs()).create('../escape'), /invalid cgroup name/);
});

test('blkio: v1 joins the blkio hierarchy (when there is one) and v2 enables io; stats read their bytes', () => {
  const v1root = tempRoot({ 'memory/': '', 'blkio/blkio.throttle.io_service_bytes_recursive': '' });
  const v1 = new CgroupsV1(v1root, testFs()).create(ID);
  assert.deepEqual(v1.procsFiles.map((p) => path.relative(v1root, p)).sort(), ['blkio', 'memory'].map((h) => `${h}/slipway/${ID}/cgroup.procs`));
  fs.writeFileSync(path.join(v1root, 'blkio', 'slipway', ID, 'blkio.throttle.io_service_bytes_recursive'), '8:0 Read 4096\n8:0 Write 512\nTotal 4608\n');
  assert.deepEqual(v1.stats().blkio?.map((e) => [e.op, e.value]), [['Read', 4096], ['Write', 512]]);

  const v2root = tempRoot({ 'cgroup.controllers': 'io memory' });
  const v2 = new CgroupsV2(v2root, testFs()).create(ID);
  assert.equal(read(path.join(v2root, 'slipway', 'cgroup.subtree_control')), '+memory +io');
  fs.writeFileSync(path.join(v2root, 'slipway', ID, 'io.stat'), '8:0 rbytes=10 wbytes=20 rios=1 wios=1 dbytes=0 dios=0\n');
  assert.deepEqual(v2.stats().blkio?.map((e) => [e.op, e.value]), [['read', 10], ['write', 20]]);
});
