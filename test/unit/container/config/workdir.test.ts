// checkWorkingDir: a working directory that is a file in the container's merged layers is
// Docker's "Cannot mkdir: … is not a directory", named by its container path; whiteouts,
// opaque directories, symlinks and mount points are read the way the overlay shows them.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkWorkingDir } from '../../../../runtime/container/config';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-workdir-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Layers top-most first; each a map of relative path → 'dir' | file content | { link }. */
function layers(...specs: Array<Record<string, string | { link: string }>>): string[] {
  return specs.map((spec, i) => {
    const dir = fs.mkdtempSync(path.join(tmp, `l${i}-`));
    for (const [rel, what] of Object.entries(spec)) {
      const p = path.join(dir, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      if (what === 'dir') fs.mkdirSync(p, { recursive: true });
      else if (typeof what === 'object') fs.symlinkSync(what.link, p);
      else fs.writeFileSync(p, what);
    }
    return dir;
  });
}

const base = { 'etc/passwd': 'root:x:0:0::/root:/bin/sh\n', 'srv/app': 'dir', 'data': 'a file' };
// [name, layers, cwd, mount points, error or null]
const cases: Array<[string, string[], string, string[], string | null]> = [
  ['a file', layers({}, base), '/etc/passwd', [], 'Cannot mkdir: /etc/passwd is not a directory'],
  ['below a file', layers(base), '/etc/passwd/x', [], 'Cannot mkdir: /etc/passwd/x is not a directory'],
  ['a directory', layers(base), '/srv/app', [], null],
  ['missing (the start-up creates it)', layers(base), '/no/such/dir', [], null],
  ['a file whited out by an upper layer', layers({ 'etc/.wh.passwd': '' }, base), '/etc/passwd', [], null],
  ['a file replaced by a directory above', layers({ 'etc/passwd': 'dir' }, base), '/etc/passwd', [], null],
  ['a file under an opaque directory is hidden', layers({ 'etc/.wh..wh..opq': '' }, base), '/etc/passwd', [], null],
  ['a symlink is left to the start-up', layers({ 'app': { link: '/etc/passwd' } }, base), '/app', [], null],
  ['a mount point covers the file', layers(base), '/data', ['/data'], null],
];
for (const [name, dirs, cwd, mounts, error] of cases) {
  test(`checkWorkingDir: ${name}`, () => {
    if (error) assert.throws(() => checkWorkingDir(dirs, cwd, mounts), { message: error, status: 400 });
    else assert.doesNotThrow(() => checkWorkingDir(dirs, cwd, mounts));
  });
}
