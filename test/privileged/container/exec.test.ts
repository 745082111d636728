// execInContainer against the real kernel: namespaces shared with the container, its cgroup,
// user/capabilities of the exec'd process, stdio pipes, a PTY with resize, and errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { privileged } from '../../helpers/tiers';
import { execInContainer, type ExecProcess } from '../../../runtime/container/exec/exec';
import { ContainerSetupError } from '../../../runtime/container/start/protocol';
import type { ContainerProcess } from '../../../runtime/container/start/start';
import type { ProcessSpec } from '../../../runtime/container/spec';
import { DOCKER_DEFAULT_CAPS } from '../../helpers/rootfs';
import { bundles, hostMountsUnder, makeBox, start, sys, waitForText, type Box } from './harness';

const proc = (args: string[], edit: Partial<ProcessSpec> = {}): ProcessSpec => ({
  args, env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], cwd: '/', user: { uid: 0, gid: 0 },
  capabilities: { bounding: DOCKER_DEFAULT_CAPS, effective: DOCKER_DEFAULT_CAPS, permitted: DOCKER_DEFAULT_CAPS },
  ...edit,
});

async function collect(p: ExecProcess): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  p.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  p.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const st = await p.exited;
  await Promise.all([p.stdout, p.stderr].map((s) => s && !s.readableEnded && new Promise((r) => s.once('close', r))));
  return { exitCode: st.exitCode, stdout, stderr };
}

describe('container exec', privileged, () => {
  let box: Box;
  let ctr: ContainerProcess;
  // A cgroup of our own in the v1 pids hierarchy (or v2 root), removed afterwards.
  const cgroupDir = fs.existsSync('/sys/fs/cgroup/pids')
    ? `/sys/fs/cgroup/pids/slipway-test-exec-${process.pid}`
    : `/sys/fs/cgroup/slipway-test-exec-${process.pid}`;
  const procs = path.join(cgroupDir, 'cgroup.procs');

  before(async () => {
    box = makeBox();
    fs.mkdirSync(cgroupDir, { recursive: true });
    ctr = await start(box, ['sleep', '300'], (s) => { s.hostname = 'execbox'; }, [procs]);
  });
  after(async () => {
    ctr?.kill('SIGKILL');
    await ctr?.exited;
    fs.rmdirSync(cgroupDir);
    try { assert.deepEqual(hostMountsUnder(box.dir), []); } finally { box.cleanup(); }
  });

  test('the init landed in the given cgroup', () => {
    assert.ok(fs.readFileSync(procs, 'utf8').split('\n').includes(String(ctr.pid)));
  });

  test('exec shares the pid, mnt, uts, ipc and net namespaces and lands in the cgroup', async () => {
    const p = await execInContainer(ctr.pid, proc(['sh', '-c', 'read go; for n in pid mnt uts ipc net; do readlink /proc/self/ns/$n; done; hostname; tr "\\\\0" " " < /proc/1/cmdline']), { sys: sys(), ...bundles(), cgroupProcs: [procs], stdin: true });
    const inCgroup = fs.readFileSync(procs, 'utf8').split('\n').includes(String(p.pid));
    // On v1 the worker thread spawned from inside the cgroup and went back: no thread of this
    // process (the service) stays in it.
    const tasks = path.join(cgroupDir, fs.existsSync(path.join(cgroupDir, 'tasks')) ? 'tasks' : 'cgroup.threads');
    const ours = new Set(fs.readdirSync('/proc/self/task'));
    const strays = fs.readFileSync(tasks, 'utf8').split('\n').filter((t) => ours.has(t));
    p.stdin?.end('go\n');
    const r = await collect(p);
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const expected = ['pid', 'mnt', 'uts', 'ipc', 'net'].map((n) => fs.readlinkSync(`/proc/${ctr.pid}/ns/${n}`));
    assert.deepEqual(lines.slice(0, 5), expected);
    assert.notEqual(fs.readlinkSync('/proc/self/ns/mnt'), expected[1], 'the test itself is elsewhere');
    assert.equal(lines[5], 'execbox');
    assert.equal(lines[6].trim(), 'sleep 300', 'PID 1 seen from the exec is the container\'s command');
    assert.ok(inCgroup, 'exec process joined the container cgroup');
    assert.deepEqual(strays, [], 'no thread of the service left in the container cgroup');
  });

  test('exec as user 1000 with no_new_privs: uid, no effective caps; the service stays root', async () => {
    const p = await execInContainer(ctr.pid, proc(['sh', '-c', 'id -u; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status'], { user: { uid: 1000, gid: 1000 }, noNewPrivileges: true }), { sys: sys(), ...bundles() });
    const r = await collect(p);
    assert.deepEqual(r.stdout.trim().split('\n'), ['1000', 'CapEff:\t0000000000000000', 'NoNewPrivs:\t1']);
    assert.equal(process.getuid?.(), 0);
    assert.match(fs.readFileSync('/proc/self/status', 'utf8'), /NoNewPrivs:\t0/);
  });

  test('stdin pipe, stdout and stderr are separate streams; exit code', async () => {
    const p = await execInContainer(ctr.pid, proc(['sh', '-c', 'cat; echo oops >&2; exit 4']), { sys: sys(), ...bundles(), stdin: true });
    p.stdin?.end('from stdin\n');
    const r = await collect(p);
    assert.deepEqual(r, { exitCode: 4, stdout: 'from stdin\n', stderr: 'oops\n' });
  });

  test('exec with a PTY: a tty, and stty size follows a resize', async () => {
    const p = await execInContainer(ctr.pid, proc(['sh', '-c', 'test -t 0 && echo is-a-tty; echo tty=$(tty) fd0=$(readlink /proc/self/fd/0); test -c "$(tty)" && echo exists-ok; stty size; read x; stty size'], { terminal: true, consoleSize: { height: 24, width: 80 } }), { sys: sys(), ...bundles() });
    const t = p.terminal!;
    let out = '';
    t.output.setEncoding('utf8').on('data', (d: string) => { out += d; });
    t.output.on('error', () => undefined); // EIO once the slave side is gone
    await waitForText(() => out, '24 80');
    t.resize({ rows: 40, cols: 120 });
    t.input.write('\n');
    await waitForText(() => out, '40 120');
    assert.equal((await p.exited).exitCode, 0);
    assert.match(out, /is-a-tty/);
    // A slave of the container's own devpts: its name resolves inside the container.
    assert.match(out, /tty=(\/dev\/pts\/\d+) fd0=\1\r?\n/);
    assert.match(out, /exists-ok/);
    t.close();
  });

  test('exec -t: the PTY is the controlling terminal, so a resize signals the foreground (SIGWINCH)', async () => {
    const script = '(exec </dev/tty) && echo ctty-ok; trap "stty size" WINCH; echo ready; while :; do sleep 0.05; done';
    const p = await execInContainer(ctr.pid, proc(['sh', '-c', script], { terminal: true, consoleSize: { height: 10, width: 20 } }), { sys: sys(), ...bundles() });
    const t = p.terminal!;
    let out = '';
    t.output.setEncoding('utf8').on('data', (d: string) => { out += d; });
    t.output.on('error', () => undefined);
    await waitForText(() => out, 'ready');
    assert.match(out, /ctty-ok/);
    t.resize({ rows: 33, cols: 77 });
    await waitForText(() => out, '33 77');
    p.kill('SIGKILL');
    assert.equal((await p.exited).signal, 'SIGKILL');
    t.close();
  });

  test('command not found in the container: 127 and Docker\'s message', async () => {
    await assert.rejects(execInContainer(ctr.pid, proc(['nosuchcmd']), { sys: sys(), ...bundles() }), (err: unknown) => {
      assert.ok(err instanceof ContainerSetupError);
      assert.equal(err.exitCode, 127);
      assert.equal(err.message, 'exec: "nosuchcmd": executable file not found in $PATH');
      return true;
    });
  });

  test('exec into a process that is gone is a clear error', async () => {
    await assert.rejects(execInContainer(999999999, proc(['true']), { sys: sys(), ...bundles() }), /container process 999999999 is not running/);
  });
});
