// Terminals of a container that has no devpts of its own (an OCI spec without the /dev/pts
// mount): run -t and exec -t fall back to a PTY of the host's, which is still a working
// terminal inside (isatty, the controlling tty, the size and its changes, /dev/console).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { privileged } from '../../helpers/tiers';
import { execInContainer } from '../../../runtime/container/exec/exec';
import { containerDevpts } from '../../../runtime/container/pty/pty';
import type { ContainerProcess } from '../../../runtime/container/start/start';
import type { RuntimeSpec } from '../../../runtime/container/spec';
import { DOCKER_DEFAULT_CAPS } from '../../helpers/rootfs';
import { bundles, hostMountsUnder, makeBox, start, sys, waitForText, type Box } from './harness';

const withoutDevpts = (s: RuntimeSpec) => { s.mounts = s.mounts.filter((m) => m.type !== 'devpts'); };
const withTerminal = (rows: number, cols: number) => (s: RuntimeSpec) => {
  withoutDevpts(s);
  s.slipway = { ...s.slipway!, stdio: { terminal: true } };
  s.process.terminal = true;
  s.process.consoleSize = { height: rows, width: cols };
};

describe('terminals without a container devpts', privileged, () => {
  let box: Box;
  let ctr: ContainerProcess;

  before(async () => {
    box = makeBox();
    ctr = await start(box, ['sleep', '300'], withoutDevpts);
  });
  after(async () => {
    ctr?.kill('SIGKILL');
    await ctr?.exited;
    try { assert.deepEqual(hostMountsUnder(box.dir), []); } finally { box.cleanup(); }
  });

  test('the container really has no devpts (the case under test)', () => {
    assert.equal(containerDevpts(ctr.pid), undefined);
  });

  test('run -t: a host PTY is stdio and the controlling terminal; size, resize and /dev/console work', async () => {
    const script = 'test -t 0 && echo tty-ok; (exec </dev/tty) && echo ctty-ok; test -c /dev/console && echo console-ok; stty size; read x; stty size; echo got=$x';
    const c = await start(box, ['sh', '-c', script], withTerminal(21, 61));
    const t = c.terminal!;
    let out = '';
    t.output.setEncoding('utf8').on('data', (d: string) => { out += d; });
    t.output.on('error', () => undefined); // EIO once the slave side is gone
    await waitForText(() => out, '21 61', 15_000);
    t.resize({ rows: 31, cols: 71 });
    t.input.write('typed\n');
    assert.deepEqual(await c.exited, { exitCode: 0 });
    await waitForText(() => out, 'got=typed', 15_000);
    assert.match(out, /tty-ok\r\nctty-ok\r\nconsole-ok\r\n21 61\r\n/);
    assert.match(out, /31 71\r\n/);
    assert.match(t.path, /^\/dev\/pts\/\d+$/, 'a slave of the host devpts');
    t.close();
  });

  test('exec -t: a host PTY; a tty of the given size that follows a resize', async () => {
    const p = await execInContainer(ctr.pid, {
      args: ['sh', '-c', 'test -t 0 && echo is-a-tty; (exec </dev/tty) && echo ctty-ok; stty size; read x; stty size'], env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], cwd: '/',
      user: { uid: 0, gid: 0 }, capabilities: { bounding: DOCKER_DEFAULT_CAPS, effective: DOCKER_DEFAULT_CAPS, permitted: DOCKER_DEFAULT_CAPS },
      terminal: true, consoleSize: { height: 12, width: 34 },
    }, { sys: sys(), ...bundles() });
    const t = p.terminal!;
    let out = '';
    t.output.setEncoding('utf8').on('data', (d: string) => { out += d; });
    t.output.on('error', () => undefined);
    await waitForText(() => out, '12 34', 15_000);
    t.resize({ rows: 44, cols: 55 });
    t.input.write('\n');
    await waitForText(() => out, '44 55', 15_000); // generous: seen to take > 5 s at load 14
    assert.equal((await p.exited).exitCode, 0);
    assert.match(out, /is-a-tty\r\nctty-ok\r\n12 34\r\n/);
    t.close();
  });
});
