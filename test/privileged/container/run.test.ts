// startContainer against the real kernel with a busybox rootfs: isolation, rootfs, mounts,
// security settings, exit codes and clean-up. Needs root and `npm run build` (dist/init.js,
// dist/container-worker.js).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { privileged, requires } from '../../helpers/tiers';
import { ContainerSetupError } from '../../../runtime/container/start/protocol';
import { hostMountsUnder, makeBox, run, start, waitForText, type Box } from './harness';

const DOCKER_CAPS_HEX = '00000000a80425fb';

describe('container run', privileged, () => {
  let box: Box;
  before(() => { box = makeBox(); });
  after(() => {
    try { assert.deepEqual(hostMountsUnder(box.dir), [], 'no mount of the container is left on the host'); } finally { box.cleanup(); }
  });

  test('the command is PID 1 and only its processes are in /proc', async () => {
    const r = await run(box, ['sh', '-c', 'echo pid=$$; ls -d /proc/[0-9]* | wc -l']);
    assert.equal(r.exitCode, 0, r.output);
    const [pidLine, count] = r.output.trim().split('\n');
    assert.equal(pidLine, 'pid=1');
    assert.ok(Number(count) <= 3, `only sh, ls and wc: ${count}`);
  });

  test('hostname and init-layer files', async () => {
    const r = await run(box, ['sh', '-c', 'hostname; cat /etc/hostname; grep slipwaytest /etc/hosts; cat /etc/resolv.conf']);
    assert.equal(r.exitCode, 0, r.output);
    const lines = r.output.trim().split('\n');
    assert.equal(lines[0], 'slipwaytest');
    assert.equal(lines[1], 'slipwaytest');
    assert.match(lines[2], /127\.0\.1\.1\s+slipwaytest/);
    assert.ok(r.output.includes('nameserver 10.0.0.2') && !r.output.includes('127.0.0.53'), 'loopback resolvers dropped');
  });

  test('writes land in the upper dir only', async () => {
    const r = await run(box, ['sh', '-c', 'echo data > /root/new.txt && rm /etc/os-release']);
    assert.equal(r.exitCode, 0, r.output);
    assert.equal(fs.readFileSync(path.join(box.upper, 'root/new.txt'), 'utf8'), 'data\n');
    assert.ok(!fs.existsSync(path.join(box.image, 'root/new.txt')), 'image layer untouched');
    assert.ok(fs.existsSync(path.join(box.image, 'etc/os-release')), 'deleted file still in the image');
    assert.ok(fs.statSync(path.join(box.upper, 'etc/os-release')).isCharacterDevice(), 'deletion is an overlay whiteout');
    assert.ok(!fs.existsSync(path.join(box.upper, 'etc/hostname')), 'init layer files are not in the diff');
  });

  test('host mounts are invisible; only the container\'s own mounts exist', async () => {
    const r = await run(box, ['cat', '/proc/self/mountinfo']);
    assert.equal(r.exitCode, 0, r.output);
    const points = r.output.trim().split('\n').map((l) => l.split(' ')[4]);
    const allowed = /^\/(proc|dev|sys)(\/|$)|^\/$/;
    assert.deepEqual(points.filter((p) => !allowed.test(p)), []);
    // The overlay root's own line names its layer dirs (as Docker's does); nothing else may.
    const others = r.output.trim().split('\n').filter((l) => l.split(' ')[4] !== '/');
    assert.ok(!others.some((l) => l.includes(box.dir)), 'no host path shows through');
  });

  test('bind mounts read-write and read-only', async () => {
    const rw = path.join(box.dir, 'rw'); const ro = path.join(box.dir, 'ro'); const file = path.join(box.dir, 'one.txt');
    fs.mkdirSync(rw); fs.mkdirSync(ro); fs.writeFileSync(file, 'single file\n');
    const r = await run(box, ['sh', '-c', 'echo hi > /rw/x; cat /etc/one.txt; touch /ro/y 2>&1; echo ro=$?'], (s) => {
      s.mounts.push({ destination: '/rw', type: 'bind', source: rw, options: ['rbind'] });
      s.mounts.push({ destination: '/ro', type: 'bind', source: ro, options: ['rbind', 'ro'] });
      s.mounts.push({ destination: '/etc/one.txt', type: 'bind', source: file, options: ['bind', 'ro'] });
    });
    assert.equal(fs.readFileSync(path.join(rw, 'x'), 'utf8'), 'hi\n');
    assert.match(r.output, /single file/);
    assert.match(r.output, /Read-only file system/);
    assert.match(r.output, /ro=1/);
    assert.ok(!fs.existsSync(path.join(ro, 'y')));
  });

  test('masked paths are unreadable, read-only paths are read-only', async () => {
    const r = await run(box, ['sh', '-c', 'wc -c < /proc/timer_list; ls /sys/firmware | wc -l; cat /proc/keys | wc -c; echo 1 > /proc/sys/kernel/domainname 2>&1; echo sys=$?']);
    const lines = r.output.trim().split('\n');
    assert.deepEqual(lines.slice(0, 3), ['0', '0', '0']);
    assert.match(r.output, /Read-only file system/);
    assert.match(r.output, /sys=1/);
  });

  test('capabilities are Docker\'s default set; no_new_privs when asked', async () => {
    const r = await run(box, ['grep', '-E', '^(CapBnd|CapEff|CapPrm|CapInh|NoNewPrivs)', '/proc/1/status'], (s) => { s.process.noNewPrivileges = true; });
    const fields = Object.fromEntries(r.output.trim().split('\n').map((l) => l.split(/:\s+/)));
    assert.equal(fields.CapBnd, DOCKER_CAPS_HEX);
    assert.equal(fields.CapEff, DOCKER_CAPS_HEX);
    assert.equal(fields.CapPrm, DOCKER_CAPS_HEX);
    assert.equal(fields.CapInh, '0000000000000000');
    assert.equal(fields.NoNewPrivs, '1');
  });

  test('user 1000 with a supplementary group, no effective capabilities', async () => {
    const r = await run(box, ['sh', '-c', 'id -u; id -g; id -G; grep CapEff /proc/self/status; touch /root/x 2>&1 || echo denied'], (s) => {
      s.process.user = { uid: 1000, gid: 1000, additionalGids: [50] };
    });
    const lines = r.output.trim().split('\n');
    assert.equal(lines[0], '1000');
    assert.equal(lines[1], '1000');
    assert.deepEqual(lines[2].split(' ').sort(), ['1000', '50']);
    assert.match(lines[3], /CapEff:\s+0{16}/);
    assert.match(r.output, /denied/);
  });

  test('working directory is created; env, umask and rlimits apply', async () => {
    const r = await run(box, ['sh', '-c', 'pwd; echo $GREETING; umask; ulimit -n'], (s) => {
      s.process.cwd = '/srv/app';
      s.process.env.push('GREETING=hello');
      s.process.user.umask = 0o027;
      s.process.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 1024 }];
    });
    assert.deepEqual(r.output.trim().split('\n'), ['/srv/app', 'hello', '0027', '1024']);
  });

  const exits: Array<[string, string[], number, string | undefined]> = [
    ['exit 0', ['true'], 0, undefined],
    ['exit 3', ['sh', '-c', 'exit 3'], 3, undefined],
    ['a child killed by SIGKILL', ['sh', '-c', 'sleep 5 & kill -9 $!; wait $!'], 137, undefined],
  ];
  for (const [name, args, code, signal] of exits) {
    test(`exit status: ${name}`, async () => {
      const r = await run(box, args);
      assert.equal(r.exitCode, code);
      assert.equal(r.signal, signal);
    });
  }

  test('SIGKILL from the host: 137 and the signal', async () => {
    const c = await start(box, ['sleep', '30']);
    c.kill('SIGKILL');
    assert.deepEqual(await c.exited, { exitCode: 137, signal: 'SIGKILL' });
  });

  test('a terminal: a slave of the container\'s own devpts is stdio and the controlling tty; /dev/console exists', async () => {
    const script = 'test -t 0 && echo tty-ok; echo tty=$(tty); echo fd0=$(readlink /proc/self/fd/0); test -c "$(tty)" && echo exists-ok; stty size; test -c /dev/console && echo console-ok; read x; stty size; echo got=$x';
    const c = await start(box, ['sh', '-c', script], (s) => {
      s.slipway = { ...s.slipway!, stdio: { terminal: true } };
      s.process.terminal = true;
      s.process.consoleSize = { height: 30, width: 100 };
    });
    const t = c.terminal!;
    let out = '';
    t.output.setEncoding('utf8').on('data', (d: string) => { out += d; });
    t.output.on('error', () => undefined); // EIO when the slave closes
    await waitForText(() => out, 'console-ok');
    t.resize({ rows: 42, cols: 77 });
    t.input.write('typed\n');
    assert.deepEqual(await c.exited, { exitCode: 0 });
    await waitForText(() => out, 'got=typed');
    assert.match(out, /tty-ok/);
    // The name resolves inside the container: its own devpts, not the host's.
    const name = /tty=(\/dev\/pts\/\d+)/.exec(out)?.[1];
    assert.ok(name, `tty printed no /dev/pts name: ${out}`);
    assert.match(out, new RegExp(`fd0=${name}\\r?\\n`));
    assert.match(out, /exists-ok/);
    assert.equal(t.path, name);
    assert.match(out, /30 100[\s\S]*42 77/);
    t.close();
  });

  test('stdin as a pipe', async () => {
    fs.rmSync(box.out, { force: true });
    const c = await start(box, ['sh', '-c', 'tr a-z A-Z'], (s) => {
      s.slipway = { ...s.slipway!, stdio: { stdin: 'pipe', stdoutFile: box.out, stderrFile: box.out } };
    });
    c.stdin!.end('shout\n');
    assert.deepEqual(await c.exited, { exitCode: 0 });
    assert.equal(fs.readFileSync(box.out, 'utf8'), 'SHOUT\n');
  });

  test('a new network namespace has only loopback, and it is up', async () => {
    const r = await run(box, ['sh', '-c', 'ls /sys/class/net; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags']);
    const lines = r.output.trim().split('\n');
    assert.equal(lines[0], 'lo');
    assert.equal(Number(lines[2]) & 1, 1, `IFF_UP in ${lines[2]}`);
  });

  test('a read-only root: writes fail with EROFS, tmpfs mounts stay writable', async () => {
    const r = await run(box, ['sh', '-c', 'touch /root/x 2>&1; echo root=$?; touch /dev/shm/y && echo shm-ok'], (s) => { s.root.readonly = true; });
    assert.match(r.output, /Read-only file system/);
    assert.match(r.output, /root=1/);
    assert.match(r.output, /shm-ok/);
  });

  test('a joined network namespace (--network container:<id>) and the host\'s (--network host)', async () => {
    const a = await start(box, ['sleep', '30']);
    try {
      const joined = await run(box, ['readlink', '/proc/self/ns/net'], (s) => {
        s.linux.namespaces = s.linux.namespaces.map((n) => (n.type === 'network' ? { type: 'network', path: `/proc/${a.pid}/ns/net` } : n));
      });
      assert.equal(joined.output.trim(), fs.readlinkSync(`/proc/${a.pid}/ns/net`));
      const host = await run(box, ['readlink', '/proc/self/ns/net'], (s) => {
        s.linux.namespaces = s.linux.namespaces.filter((n) => n.type !== 'network');
      });
      assert.equal(host.output.trim(), fs.readlinkSync('/proc/self/ns/net'));
    } finally {
      a.kill();
      await a.exited;
    }
  });

  // cgroup v1: the init moves itself in through `tasks` (no RCU wait, protocol.ts); a directory
  // without a `tasks` file (v2's layout, here a plain one) gets the pid written by the service.
  const v1 = ['pids', 'memory'].map((h) => `/sys/fs/cgroup/${h}`);
  const noV1 = v1.every((d) => fs.existsSync(path.join(d, 'tasks'))) ? undefined : 'no cgroup v1 pids and memory hierarchies here';
  test('cgroups: v1 hierarchies joined by the init itself, a tasks-less directory by the service', requires(noV1), async () => {
    const name = `slipway-test-run-${process.pid}`;
    const dirs = v1.map((d) => path.join(d, name));
    for (const d of dirs) fs.mkdirSync(d);
    const plain = fs.mkdtempSync(path.join(box.dir, 'cg-'));
    fs.writeFileSync(path.join(plain, 'cgroup.procs'), '');
    try {
      const c = await start(box, ['sleep', '30'], undefined, dirs.map((d) => path.join(d, 'cgroup.procs')));
      try {
        // Seen from the host (inside, the container's cgroup namespace makes it "/").
        const lines = fs.readFileSync(`/proc/${c.pid}/cgroup`, 'utf8').split('\n');
        for (const h of ['pids', 'memory']) assert.ok(lines.some((l) => l.endsWith(`:${h}:/${name}`)), `${h} joined: ${lines.join(' | ')}`);
        for (const d of dirs) assert.equal(fs.readFileSync(path.join(d, 'cgroup.procs'), 'utf8'), `${c.pid}\n`, `only PID 1 in ${d}`);
      } finally {
        c.kill();
        await c.exited;
      }

      const s = await start(box, ['sleep', '30'], undefined, [path.join(plain, 'cgroup.procs')]);
      try {
        assert.equal(fs.readFileSync(path.join(plain, 'cgroup.procs'), 'utf8'), String(s.pid));
      } finally {
        s.kill();
        await s.exited;
      }
    } finally {
      for (const d of dirs) fs.rmdirSync(d);
    }
  });

  test('command not found: 127 with Docker\'s message, on stderr and as the error', async () => {
    await assert.rejects(run(box, ['nosuchcmd']), (err: unknown) => {
      assert.ok(err instanceof ContainerSetupError);
      assert.equal(err.exitCode, 127);
      assert.equal(err.message, 'exec: "nosuchcmd": executable file not found in $PATH');
      return true;
    });
    assert.equal(fs.readFileSync(box.out, 'utf8'), 'exec: "nosuchcmd": executable file not found in $PATH\n');
  });

  test('a set-up failure names the step and path, and leaves nothing behind', async () => {
    await assert.rejects(run(box, ['true'], (s) => {
      s.mounts.push({ destination: '/data', type: 'bind', source: path.join(box.dir, 'does-not-exist'), options: ['rbind'] });
    }), (err: unknown) => {
      assert.ok(err instanceof ContainerSetupError);
      assert.equal(err.step, 'mount');
      assert.equal(err.path, '/data');
      assert.equal(err.code, 'ENOENT');
      assert.match(err.message, /does-not-exist/);
      return true;
    });
    assert.deepEqual(hostMountsUnder(box.dir), []);
  });
});
