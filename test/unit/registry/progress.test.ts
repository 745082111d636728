import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressDisplay, progressBar, shortId, toJsonMessage } from '../../../runtime/registry/progress';

test('progress bar: 50 columns, arrow at the head, sizes after', () => {
  assert.equal(progressBar(0, 100), `[${' '.repeat(50)}] ${'0B/100B'.padStart(18)}`);
  assert.equal(progressBar(50, 100), `[${'='.repeat(24)}>${' '.repeat(25)}] ${'50B/100B'.padStart(18)}`);
  assert.equal(progressBar(100, 100), `[${'='.repeat(50)}] ${'100B/100B'.padStart(18)}`);
  assert.equal(progressBar(1234, undefined), '1.234kB', 'go-units HumanSize: 4 digits, as jsonmessage prints');
});

test('Docker JSON messages from progress events', () => {
  assert.deepEqual(toJsonMessage({ status: 'Digest: sha256:ab' }), { status: 'Digest: sha256:ab' });
  assert.deepEqual(toJsonMessage({ id: 'a1', status: 'Pull complete' }), { status: 'Pull complete', id: 'a1', progressDetail: {} });
  const m = toJsonMessage({ id: 'a1', status: 'Downloading', current: 10, total: 20 });
  assert.deepEqual(m.progressDetail, { current: 10, total: 20 });
  assert.match(m.progress ?? '', /^\[=+>\s+\]\s+10B\/20B$/);
  assert.equal(shortId('sha256:0123456789abcdef'), '0123456789ab');
});

test('display without a terminal: one line per status change, no byte counts, errors returned', () => {
  let out = '';
  const d = new ProgressDisplay((t) => { out += t; }, false);
  d.show({ status: 'Pulling from x', id: 'latest' });
  d.show({ id: 'a', status: 'Downloading', progress: '[=>] 1/2', progressDetail: { current: 1, total: 2 } });
  d.show({ id: 'a', status: 'Downloading', progress: '[==>] 2/2', progressDetail: { current: 2, total: 2 } });
  d.show({ id: 'a', status: 'Pull complete' });
  assert.equal(d.show({ error: 'boom', errorDetail: { message: 'boom' } }), 'boom');
  assert.equal(out, 'latest: Pulling from x\na: Downloading\na: Pull complete\n');
});

test('display on a terminal redraws the line of an id in place', () => {
  let out = '';
  const d = new ProgressDisplay((t) => { out += t; }, true);
  d.show({ id: 'a', status: 'Waiting' });
  d.show({ id: 'b', status: 'Waiting' });
  out = '';
  d.show({ id: 'a', status: 'Downloading', progress: 'P' });
  assert.equal(out, '\x1b[2A\x1b[2K\ra: Downloading P\n\x1b[1B');
  out = '';
  d.show({ id: 'b', status: 'Pull complete' });
  assert.equal(out, '\x1b[1A\x1b[2K\rb: Pull complete\n');
});
