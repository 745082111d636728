// The libc implementation on calls that need no privilege: results, out-parameters and the
// errno naming of failures. (Privileged calls are covered by test/privileged/container.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { F, FD_CLOEXEC, O, RLIMITS } from '../../../runtime/linux/constants';
import { LibcSyscalls } from '../../../runtime/linux/libc';
import { SyscallError } from '../../../runtime/linux/syscalls';
import { openPty } from '../../../runtime/container/pty/pty';

const sys = new LibcSyscalls();

test('pipe2 gives two close-on-exec fds that carry data', () => {
  const [r, w] = sys.pipe2(O.CLOEXEC);
  try {
    assert.equal(sys.fcntl(r, F.GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    fs.writeSync(w, 'ping');
    const buf = Buffer.alloc(4);
    assert.equal(fs.readSync(r, buf), 4);
    assert.equal(buf.toString(), 'ping');
  } finally { sys.close(r); sys.close(w); }
});

test('a PTY: slave path, window size set on the master is seen on the slave', () => {
  const pty = openPty(sys, { rows: 42, cols: 132 });
  try {
    assert.match(pty.path, /^\/dev\/pts\/\d+$/);
    assert.deepEqual(sys.getWinsize(pty.slave), { rows: 42, cols: 132 });
    pty.resize({ rows: 10, cols: 20 });
    assert.deepEqual(sys.getWinsize(pty.slave), { rows: 10, cols: 20 });
  } finally { pty.close(); }
});

test('failures carry the errno name, the call and its arguments', () => {
  assert.throws(() => sys.chdir('/nonexistent/slipway-test'), (err: unknown) => {
    assert.ok(err instanceof SyscallError);
    assert.equal(err.code, 'ENOENT');
    assert.equal(err.message, 'chdir("/nonexistent/slipway-test") failed: ENOENT');
    return true;
  });
  assert.throws(() => sys.close(987654), /close\(0xf1206\) failed: EBADF/);
});

test('umask, rlimits, gettid and capget round-trip', () => {
  const old = sys.umask(0o027);
  assert.equal(sys.umask(old), 0o027);
  const nofile = sys.getrlimit(RLIMITS.RLIMIT_NOFILE);
  assert.ok(nofile.soft <= nofile.hard && nofile.soft > 0);
  assert.equal(sys.gettid(), process.pid, 'the main thread\'s tid is the pid');
  const caps = sys.capget();
  assert.equal(caps.effective.length, 2);
  assert.equal(process.getuid?.() === 0, caps.effective[0] !== 0);
});

test('pidfd_open and waitid on a process that still runs', () => {
  const fd = sys.pidfdOpen(process.pid);
  try {
    // Not our child: waitid refuses (ECHILD) rather than claiming an exit.
    assert.throws(() => sys.waitPidfd(fd), /ECHILD/);
  } finally { sys.close(fd); }
});
