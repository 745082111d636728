// exec's namespace join, recorded: unshare(CLONE_FS) first, then setns in an order that ends
// with the mount namespace; a missing process is a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLONE } from '../../../../runtime/linux/constants';
import { RecordingSyscalls } from '../../../../runtime/linux/fake';
import { joinContainer } from '../../../../runtime/container/exec/worker-exec';
import { StepError } from '../../../../runtime/container/start/steps';

test('joins cgroup, ipc, uts, net, pid, then mnt after unshare(CLONE_FS)', () => {
  const sys = new RecordingSyscalls();
  joinContainer(sys, process.pid);
  assert.deepEqual(sys.calls.map((c) => c.call), ['unshare', 'setns', 'setns', 'setns', 'setns', 'setns', 'setns']);
  assert.deepEqual(sys.calls[0].args, [CLONE.FS]);
});

test('exec through the init leaves the mount namespace to it', () => {
  const sys = new RecordingSyscalls();
  joinContainer(sys, process.pid, { mount: false });
  assert.equal(sys.named('setns').length, 5);
});

test('a process that is gone: "container process N is not running", nothing joined', () => {
  const sys = new RecordingSyscalls();
  assert.throws(() => joinContainer(sys, 999999999), (err: unknown) => {
    assert.ok(err instanceof StepError);
    assert.equal(err.report.message, 'container process 999999999 is not running');
    return true;
  });
  assert.equal(sys.calls.length, 0);
});
