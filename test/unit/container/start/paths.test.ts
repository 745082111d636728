import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lookPath, pathOf, secureJoin, type LookFs } from '../../../../runtime/container/start/paths';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-securejoin-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
fs.mkdirSync(path.join(root, 'etc'));
fs.mkdirSync(path.join(root, 'usr/lib'), { recursive: true });
fs.symlinkSync('/etc', path.join(root, 'abs'));           // absolute: must stay in root
fs.symlinkSync('../../../../..', path.join(root, 'up'));  // climbs: clamped at root
fs.symlinkSync('usr/lib', path.join(root, 'lib'));        // relative
fs.symlinkSync('loop2', path.join(root, 'loop1'));
fs.symlinkSync('loop1', path.join(root, 'loop2'));

const joins: Array<[string, string]> = [
  ['/etc/passwd', 'etc/passwd'],
  ['/abs/passwd', 'etc/passwd'],
  ['/up/etc/shadow', 'etc/shadow'],
  ['/../../etc', 'etc'],
  ['/lib/x.so', 'usr/lib/x.so'],
  ['/missing/dir', 'missing/dir'],
  ['/', ''],
];
for (const [unsafe, rel] of joins) {
  test(`secureJoin ${unsafe} → <root>/${rel}`, () => assert.equal(secureJoin(root, unsafe), path.join(root, rel)));
}
test('secureJoin stops a symlink loop with a named error', () => {
  assert.throws(() => secureJoin(root, '/loop1/x'), /too many levels of symbolic links resolving \/loop1\/x/);
});

const files: Record<string, 'file' | 'noexec' | 'dir'> = { '/bin/sh': 'file', '/usr/bin/env': 'file', '/opt/tool': 'noexec', '/bin/dir': 'dir' };
const fake: LookFs = { probe: (p) => files[p] };
const looks: Array<[string, string, ReturnType<typeof lookPath>]> = [
  ['sh', '/usr/bin:/bin', { path: '/bin/sh' }],
  ['env', '/usr/bin:/bin', { path: '/usr/bin/env' }],
  ['/bin/sh', '', { path: '/bin/sh' }],
  ['nosuch', '/usr/bin:/bin', { error: 'exec: "nosuch": executable file not found in $PATH', exitCode: 127 }],
  ['/nope', '/bin', { error: 'exec: "/nope": stat /nope: no such file or directory', exitCode: 127 }],
  ['tool', '/opt', { error: 'exec: "tool": permission denied', exitCode: 126 }],
  ['/bin/dir', '/bin', { error: 'exec: "/bin/dir": is a directory', exitCode: 126 }],
  ['dir', '/bin', { error: 'exec: "dir": executable file not found in $PATH', exitCode: 127 }],
];
for (const [file, p, expected] of looks) {
  test(`lookPath ${file} in ${p || '(none)'}`, () => assert.deepEqual(lookPath(file, p, fake), expected));
}

test('pathOf takes the last PATH and defaults to Docker\'s', () => {
  assert.equal(pathOf(['A=1', 'PATH=/a', 'PATH=/b']), '/b');
  assert.equal(pathOf([]), '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
});
