// The docker details of issue #3's audit through the real CLI and service: daemon errors read
// "Error response from daemon: …" for every command (logs, exec, top, stop, ps filters), flag
// errors keep the docker CLI's wording, the new ps filters and the stats I/O columns answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privileged } from '../../helpers/tiers';
import { IMAGE, sandboxForFile } from './harness';

const box = sandboxForFile({
  ready: (b) => {
    for (const args of [['--name', 'up', '--network', 'none', '-p', '80'], ['--name', 'down']]) {
      const r = b.slipway('run', '-d', ...args, IMAGE, 'sleep', '300');
      assert.equal(r.status, 0, r.stderr);
    }
    assert.equal(b.slipway('stop', '-t', '0', 'down').status, 0);
  },
});

// [argv, exit code, stderr]
const errors: Array<[string[], number, RegExp]> = [
  [['logs', 'missing'], 1, /^Error response from daemon: No such container: missing\n$/],
  [['exec', 'down', 'true'], 1, /^Error response from daemon: .*is not running\n$/],
  [['top', 'down'], 1, /^Error response from daemon: .*is not running\n$/],
  [['stop', 'missing'], 1, /^Error response from daemon: No such container: missing\n$/],
  [['ps', '--filter', 'before=missing'], 1, /^Error response from daemon: No such container: missing\n$/],
  [['ps', '--filter', 'publish=80:80'], 1, /^Error response from daemon: filter for 'publish' should not contain ':': 80:80\n$/],
  [['ps', '--filter', 'color=red'], 1, /^Error response from daemon: invalid filter 'color'\n$/],
  [['run', '-m', '12q', IMAGE, 'true'], 125, /invalid argument "12q" for "-m, --memory" flag: invalid suffix: 'q'/],
  [['run', '-m', 'abc', IMAGE, 'true'], 125, /invalid argument "abc" for "-m, --memory" flag: invalid size: 'abc'/],
];
for (const [argv, code, stderr] of errors) {
  test(`slipway ${argv.join(' ')}: ${stderr.source.slice(0, 60)}`, privileged, () => {
    const r = box.slipway(...argv);
    assert.equal(r.status, code, r.stderr);
    assert.match(r.stderr, stderr);
  });
}

const names = (...filters: string[]) => {
  const r = box.slipway('ps', '-a', '--format', '{{.Names}}', ...filters.flatMap((f) => ['--filter', f]));
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
};

test('ps filters answer through the API: network, expose, since/before, health, is-task', privileged, () => {
  assert.deepEqual(names('network=none'), ['up']);
  assert.deepEqual(names('expose=80'), ['up']);
  assert.deepEqual(names('since=up'), ['down']);
  assert.deepEqual(names('before=down'), ['up']);
  assert.deepEqual(names('health=none', 'is-task=false'), ['down', 'up']);
});

test('ps --filter ancestor= matches by what a name resolves to in the store, not the text run was given', privileged, () => {
  assert.equal(box.slipway('tag', IMAGE, 'slipway-test/alias:1').status, 0);
  try {
    assert.deepEqual(names('ancestor=slipway-test/alias:1'), ['down', 'up']);
    assert.deepEqual(names('ancestor=slipway-test/not-there:1'), []);
  } finally {
    box.slipway('rmi', 'slipway-test/alias:1');
  }
});

test('stats --no-stream: docker\'s columns, NET I/O and BLOCK I/O in decimal units', privileged, () => {
  const r = box.slipway('stats', '--no-stream', 'up');
  assert.equal(r.status, 0, r.stderr);
  const [header, row] = r.stdout.split('\n');
  assert.match(header, /^CONTAINER ID +NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +NET I\/O +BLOCK I\/O +PIDS$/);
  // --network none: only loopback, which docker does not count.
  assert.match(row, / 0B \/ 0B +\d+(\.\d+)?[kMG]?B \/ \d+(\.\d+)?[kMG]?B +\d+$/);
});
