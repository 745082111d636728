import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, DockerfileError, NotFoundError, SlipwayError, describe, statusOf } from '../../runtime/errors';

const cases: Array<[string, unknown, number]> = [
  ['not found', new NotFoundError('no such container: web'), 404],
  ['conflict', new ConflictError('name "web" is already in use'), 409],
  ['plain error', new Error('boom'), 500],
  ['string', 'boom', 500],
];
for (const [name, err, status] of cases) {
  test(`statusOf: ${name} → ${status}`, () => assert.equal(statusOf(err), status));
}

test('describe joins the cause chain', () => {
  const err = new SlipwayError('cannot mount rootfs', { cause: new Error('EPERM: mount') });
  assert.equal(describe(err), 'cannot mount rootfs: EPERM: mount');
});

test('DockerfileError names the file and 1-based line', () => {
  const err = new DockerfileError('unknown instruction: FORM', 'Dockerfile', { start: { line: 2, character: 0 }, end: { line: 2, character: 4 } });
  assert.equal(err.message, 'Dockerfile:3: unknown instruction: FORM');
  assert.equal(err.status, 400);
});
