// Small dockerd behaviours of the container routes: ?tail= read as strconv.Atoi reads it
// (anything else is "all"), and kill's error wrapping ("cannot kill container: <name>: …").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, NotFoundError } from '../../../runtime/errors';
import { parseTail } from '../../../runtime/service/parts/streams';
import { killError } from '../../../runtime/service/routes/containers';

const tails: Array<[string | undefined, number | undefined]> = [
  [undefined, undefined], ['', undefined], ['all', undefined], ['abc', undefined], ['1.5', undefined],
  ['-1', undefined], ['0', 0], ['3', 3], ['+3', 3], ['007', 7],
];
for (const [text, want] of tails) {
  test(`logs ?tail=${text}: ${want ?? 'all'}`, () => assert.equal(parseTail(text), want));
}

const ID = 'ab60137ee5e5' + '0'.repeat(52);
const kills: Array<[unknown, string, number]> = [
  [new ConflictError(`Container ${ID} is not running`), `cannot kill container: c2: container ${ID} is not running`, 409],
  [new NotFoundError('No such container: c2'), 'cannot kill container: c2: No such container: c2', 404],
  [new ConflictError(`Container ${ID} is restarting, wait until the container is running`), `cannot kill container: c2: Container ${ID} is restarting, wait until the container is running`, 409],
];
for (const [err, message, status] of kills) {
  test(`kill error: ${message}`, () => assert.deepEqual((({ message: m, status: s }) => ({ m, s }))(killError('c2', err)), { m: message, s: status }));
}
