// The host's real cgroups (v1 on the CI machine, v2 where the host has it): limits are
// written where the kernel reads them, a process joins through the returned cgroup.procs
// files, freeze/thaw, the OOM killer's count, and remove leaves no directory behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import { detectCgroups } from '../../../runtime/cgroups';
import { privileged } from '../../helpers/tiers';

const MiB = 1024 * 1024;
const uniqueId = () => `test-${crypto.randomBytes(8).toString('hex')}`;

/** A shell that moves itself into the cgroup, then execs `cmd` (so the kernel accounts all of it there). */
function spawnInto(procsFiles: string[], cmd: string): ChildProcess {
  const joins = procsFiles.map((f) => `echo $$ > '${f}'`).join(' && ');
  return spawn('/bin/sh', ['-c', `${joins} && exec ${cmd}`], { stdio: 'ignore' });
}

test('real cgroups: limits, join, stats, freeze, remove', privileged, async () => {
  const cgroups = detectCgroups();
  const id = uniqueId();
  const cg = cgroups.create(id, { memory: { limit: 64 * MiB }, cpu: { quota: 20000, period: 100000, shares: 512 }, pids: { limit: 50 } });
  let child: ChildProcess | undefined;
  try {
    const stats0 = cg.stats();
    assert.equal(stats0.memory.limit, 64 * MiB);
    assert.equal(stats0.pids.limit, 50);
    child = spawnInto(cg.procsFiles, 'sleep 30');
    const deadline = Date.now() + 3000;
    // The shell joins one hierarchy after the other: wait until it is in all of them.
    const joined = () => cg.procsFiles.every((f) => fs.readFileSync(f, 'utf8').split('\n').includes(String(child!.pid)));
    while (!joined() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(cg.pids(), [child.pid]);
    assert.equal(cg.stats().pids.current, 1);
    for (const f of cg.procsFiles) assert.ok(fs.readFileSync(f, 'utf8').includes(String(child.pid)), f);

    await cg.freeze();
    assert.equal(cg.isFrozen(), true);
    await cg.thaw();
    assert.equal(cg.isFrozen(), false);
    assert.equal(cg.oomKillCount(), 0);
  } finally {
    const exited = child && child.exitCode === null ? once(child, 'exit') : undefined;
    await cg.remove();
    await exited;
  }
  assert.equal(cgroups.exists(id), false);
  for (const f of cg.procsFiles) assert.equal(fs.existsSync(f), false, `${f} left behind`);
});

test('real cgroups: the memory limit OOM-kills and the count says so', privileged, async () => {
  const cgroups = detectCgroups();
  const id = uniqueId();
  // memory+swap = memory: no swap to escape into.
  const cg = cgroups.create(id, { memory: { limit: 16 * MiB, swap: 16 * MiB } });
  try {
    // `tail /dev/zero` keeps one ever-growing line in memory.
    const child = spawnInto(cg.procsFiles, 'tail /dev/zero');
    const [code, signal] = await once(child, 'exit');
    assert.equal(code, null);
    assert.equal(signal, 'SIGKILL');
    assert.ok(cg.oomKillCount() >= 1, 'oom_kill counted');
  } finally {
    await cg.remove();
  }
  assert.equal(cgroups.exists(id), false);
});

test('real cgroups: --cpus 0.2 keeps a busy loop near 20% of one CPU', privileged, async () => {
  const cgroups = detectCgroups();
  const id = uniqueId();
  const cg = cgroups.create(id, { cpu: { quota: 20000, period: 100000 } });
  try {
    const child = spawnInto(cg.procsFiles, "sh -c 'while :; do :; done'");
    await new Promise((r) => setTimeout(r, 100));
    const start = cg.stats().cpu.totalNs;
    const t0 = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, 1500));
    const used = cg.stats().cpu.totalNs - start;
    const wall = Number(process.hrtime.bigint() - t0);
    const share = used / wall;
    assert.ok(share > 0.1 && share < 0.3, `busy loop used ${(share * 100).toFixed(1)}% of a CPU`);
    assert.ok(cg.stats().cpu.throttling.throttledPeriods > 0, 'the kernel throttled it');
    child.kill('SIGKILL');
  } finally {
    await cg.remove();
  }
});

test('real cgroups: --pids-limit stops a fork bomb', privileged, async () => {
  const cgroups = detectCgroups();
  const id = uniqueId();
  const cg = cgroups.create(id, { pids: { limit: 8 } });
  try {
    // perl, unlike sh, survives a failed fork: it forks 20 children, reports how many forks
    // failed, then kills and reaps its children (orphans would wait for the host's init).
    const joins = cg.procsFiles.map((f) => `echo $$ > '${f}'`).join(' && ');
    const perl = '$| = 1; my @k; my $f = 0; for (1..20) { my $p = fork(); if (!defined $p) { $f++ } elsif ($p == 0) { sleep 30; exit 0 } else { push @k, $p } } print "$f\\n"; <STDIN>; kill 9, @k; waitpid($_, 0) for @k;';
    const child = spawn('/bin/sh', ['-c', `${joins} && exec perl -e '${perl}'`], { stdio: ['pipe', 'pipe', 'ignore'] });
    const exited = once(child, 'exit');
    const [line] = await Promise.race([once(child.stdout!, 'data'), exited.then(() => { throw new Error('perl exited early'); })]) as [Buffer];
    const failed = Number(line.toString().trim());
    const current = cg.stats().pids.current;
    assert.equal(current, 8, 'the cgroup is full');
    assert.equal(failed, 13, '1 perl + 7 children fit, 13 forks failed');
    child.stdin!.end('\n');
    await exited;
  } finally {
    await cg.remove();
  }
});
