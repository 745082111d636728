import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readUserFiles, resolveUser } from '../../../../runtime/container/config';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:www:/var/www:/bin/false\nbob:x:1000:1000::/home/bob:/bin/sh\n';
const GROUP = 'root:x:0:\nwww:x:33:bob\nstaff:x:50:bob,www\nbob:x:1000:\n';

const cases: Array<[string, object | RegExp]> = [
  ['', { uid: 0, gid: 0, additionalGids: [], home: '/root' }],
  ['bob', { uid: 1000, gid: 1000, additionalGids: [33, 50], home: '/home/bob' }],
  ['www', { uid: 33, gid: 33, additionalGids: [50], home: '/var/www' }],
  ['1000', { uid: 1000, gid: 1000, additionalGids: [33, 50], home: '/home/bob' }],
  ['4242', { uid: 4242, gid: 0, additionalGids: [], home: '/' }],
  ['4242:4343', { uid: 4242, gid: 4343, additionalGids: [], home: '/' }],
  ['bob:staff', { uid: 1000, gid: 50, additionalGids: [33], home: '/home/bob' }],
  ['nobody', /unable to find user nobody: no matching entries in passwd file/],
  ['bob:nogroup', /unable to find group nogroup: no matching entries in group file/],
  ['a:b:c', /invalid user "a:b:c"/],
  ['bob:', /empty group/],
  ['99999999999', /uid 99999999999 is out of range/],
];
/** The user without the group table it carries for --group-add (checked on its own below). */
const idsOf = (u: ReturnType<typeof resolveUser>) => ({ uid: u.uid, gid: u.gid, additionalGids: u.additionalGids, home: u.home });
for (const [spec, want] of cases) {
  test(`resolveUser("${spec}")`, () => {
    if (want instanceof RegExp) assert.throws(() => resolveUser(spec, PASSWD, GROUP), want);
    else assert.deepEqual(idsOf(resolveUser(spec, PASSWD, GROUP)), want);
  });
}

test('resolveUser keeps the image\'s group table (names and gids) for --group-add', () => {
  assert.deepEqual(resolveUser('bob', PASSWD, GROUP).groupTable, [{ name: 'root', gid: 0 }, { name: 'www', gid: 33 }, { name: 'staff', gid: 50 }, { name: 'bob', gid: 1000 }]);
});

test('no passwd file: numeric users work, names do not', () => {
  assert.deepEqual(idsOf(resolveUser('5:6', undefined, undefined)), { uid: 5, gid: 6, additionalGids: [], home: '/' });
  assert.throws(() => resolveUser('bob', undefined, undefined), /unable to find user bob/);
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-user-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('readUserFiles: top layer wins, whiteouts hide, symlinks are not followed', () => {
  const upper = path.join(tmp, 'upper'), lower = path.join(tmp, 'lower');
  for (const d of [upper, lower]) fs.mkdirSync(path.join(d, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(lower, 'etc/passwd'), 'lower');
  fs.writeFileSync(path.join(lower, 'etc/group'), 'lower-group');
  fs.writeFileSync(path.join(upper, 'etc/passwd'), 'upper');
  assert.deepEqual(readUserFiles([upper, lower]), { passwd: 'upper', group: 'lower-group' });
  fs.writeFileSync(path.join(upper, 'etc/.wh.group'), '');
  assert.equal(readUserFiles([upper, lower]).group, undefined);
  fs.rmSync(path.join(upper, 'etc/passwd'));
  fs.symlinkSync('/etc/passwd', path.join(upper, 'etc/passwd'));
  assert.equal(readUserFiles([upper, lower]).passwd, undefined);
});
