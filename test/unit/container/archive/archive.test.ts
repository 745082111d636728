// docker cp's file work on a container root that is a plain temp directory: stat, tar and
// extract, with symlinks planted in the "container" that point outside it. Nothing may be
// read or written outside the root, whatever the links say.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { archiveItems, copyOwner, extractInto, statContainerPath } from '../../../../runtime/container/archive/archive';
import { GO_MODE } from '../../../../runtime/container/archive/path-stat';
import { readTar, tarStream } from '../../../../runtime/layer';
import { noSpecialFs } from '../../../../runtime/layer/special-fs';
import { NotFoundError } from '../../../../runtime/errors';

const temps: string[] = [];
afterEach(() => { for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true }); });

/** <tmp>/root (the container) and <tmp>/outside/secret (the host), with links planted in the container. */
function layout(): { root: string; outside: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cp-'));
  temps.push(tmp);
  const root = path.join(tmp, 'root');
  const outside = path.join(tmp, 'outside');
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  fs.mkdirSync(path.join(root, 'srv', 'app', 'sub'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret'), 'host secret\n');
  fs.writeFileSync(path.join(root, 'etc', 'hostname'), 'ctr\n');
  fs.writeFileSync(path.join(root, 'srv', 'app', 'a.txt'), 'A');
  fs.chmodSync(path.join(root, 'srv', 'app', 'a.txt'), 0o640);
  fs.writeFileSync(path.join(root, 'srv', 'app', 'sub', 'b'), 'BB');
  fs.symlinkSync('/', path.join(root, 'escape'));
  fs.symlinkSync('../../..', path.join(root, 'srv', 'up'));
  fs.symlinkSync(outside, path.join(root, 'abs-outside'));
  fs.symlinkSync('/etc', path.join(root, 'srv', 'etc'));
  return { root, outside };
}

async function names(items: Iterable<import('../../../../runtime/layer').LayerItem>): Promise<string[]> {
  const out: string[] = [];
  for await (const { entry } of readTar(tarStream(items))) out.push(`${entry.type}:${entry.path}${entry.linkname ? `->${entry.linkname}` : ''}`);
  return out;
}

test('stat: the last component is not followed, its link target is resolved inside the root', () => {
  const { root } = layout();
  const link = statContainerPath(root, '/srv/etc', 'c');
  assert.equal(link.stat.mode & GO_MODE.symlink, GO_MODE.symlink);
  assert.equal(link.stat.linkTarget, '/etc');
  assert.equal(link.stat.name, 'etc');
  // "/srv/etc/" follows it: the container's /etc, a directory.
  const followed = statContainerPath(root, '/srv/etc/', 'c');
  assert.equal(followed.hostPath, path.join(root, 'etc'));
  assert.ok(followed.stat.mode >= GO_MODE.dir);
  // A relative link that climbs above / stops at the root.
  assert.equal(statContainerPath(root, '/srv/up', 'c').stat.linkTarget, '/');
});

test('stat: links pointing outside the root resolve inside it, so the host file is "not found"', () => {
  const { root, outside } = layout();
  const cases = [`/escape${outside}/secret`, '/srv/up/../../outside/secret', '/abs-outside/secret', `/srv/up${outside}/secret`];
  for (const p of cases) {
    assert.throws(() => statContainerPath(root, p, 'web'), (err: unknown) => err instanceof NotFoundError && err.message === `Could not find the file ${p} in container web`, p);
  }
  // Through the same link, the container's own file is found.
  assert.equal(fs.readFileSync(statContainerPath(root, '/escape/etc/hostname', 'c').hostPath, 'utf8'), 'ctr\n');
});

test('archive: a directory is rebased on its name, "/." gives its contents, links stay links', async () => {
  const { root } = layout();
  assert.deepEqual(await names(archiveItems(statContainerPath(root, '/srv/app', 'c'), 'app', noSpecialFs)), ['directory:app', 'file:app/a.txt', 'directory:app/sub', 'file:app/sub/b']);
  assert.deepEqual(await names(archiveItems(statContainerPath(root, '/srv/app/.', 'c'), '.', noSpecialFs)), ['directory:.', 'file:./a.txt', 'directory:./sub', 'file:./sub/b']);
  assert.deepEqual(await names(archiveItems(statContainerPath(root, '/srv/etc', 'c'), 'etc', noSpecialFs)), ['symlink:etc->/etc']);
  assert.deepEqual(await names(archiveItems(statContainerPath(root, '/srv/app/a.txt', 'c'), 'renamed', noSpecialFs)), ['file:renamed']);
  // Content and mode travel.
  for await (const { entry, content } of readTar(tarStream(archiveItems(statContainerPath(root, '/srv/app/a.txt', 'c'), 'a.txt', noSpecialFs)))) {
    assert.equal(entry.mode, 0o640);
    const chunks: Buffer[] = [];
    for await (const c of content) chunks.push(c);
    assert.equal(Buffer.concat(chunks).toString(), 'A');
  }
});

/** A tar of local files (as the CLI sends it). */
function tarOf(dir: string, name: string): Readable {
  return tarStream(archiveItems({ hostPath: dir, lstat: fs.lstatSync(dir) }, name, noSpecialFs));
}

const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;

test('extract: into a directory reached through a link to /etc lands in the container\'s /etc', async () => {
  const { root, outside } = layout();
  const src = path.join(outside, 'payload');
  fs.mkdirSync(path.join(src, 'd'), { recursive: true });
  fs.writeFileSync(path.join(src, 'd', 'f'), 'F');
  await extractInto(root, '/srv/etc/', 'c', tarOf(src, 'payload'), { noOverwriteDirNonDir: true, copyUIDGID: false, special: noSpecialFs });
  assert.equal(fs.readFileSync(path.join(root, 'etc', 'payload', 'd', 'f'), 'utf8'), 'F');
  // A target given through /escape (a link to /) is the container's root, not the host's.
  await extractInto(root, `/escape${outside}`, 'c', tarOf(src, 'again'), { noOverwriteDirNonDir: true, copyUIDGID: false, special: noSpecialFs }).catch((err) => {
    assert.ok(err instanceof NotFoundError, String(err));
  });
  assert.equal(fs.existsSync(path.join(outside, 'again')), false, 'nothing written outside the root');
});

test('extract: bad targets and dir/non-dir overwrites are refused with dockerd\'s wording', async () => {
  const { root } = layout();
  const opts = { noOverwriteDirNonDir: true, copyUIDGID: false, special: noSpecialFs };
  await assert.rejects(extractInto(root, '/nope', 'web', Readable.from([]), opts), /Could not find the file \/nope in container web/);
  await assert.rejects(extractInto(root, '/srv/app/a.txt', 'web', Readable.from([]), opts), /extraction point is not a directory: \/srv\/app\/a.txt/);
  // A file named "sub" onto the directory srv/app/sub, and a directory "a.txt" onto a file.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cp-src-'));
  temps.push(tmp);
  fs.writeFileSync(path.join(tmp, 'sub'), 'file');
  fs.mkdirSync(path.join(tmp, 'a.txt'));
  await assert.rejects(extractInto(root, '/srv/app', 'c', tarOf(path.join(tmp, 'sub'), 'sub'), opts), /cannot overwrite directory "sub" with non-directory "sub"/);
  await assert.rejects(extractInto(root, '/srv/app', 'c', tarOf(path.join(tmp, 'a.txt'), 'a.txt'), opts), /cannot overwrite non-directory "a.txt" with directory "a.txt\/"/);
  assert.equal(fs.readFileSync(path.join(root, 'srv', 'app', 'a.txt'), 'utf8'), 'A', 'the file is still there');
  // Without the flag, the replacement happens (the Engine API's default).
  await extractInto(root, '/srv/app', 'c', tarOf(path.join(tmp, 'sub'), 'sub'), { ...opts, noOverwriteDirNonDir: false });
  assert.equal(fs.readFileSync(path.join(root, 'srv', 'app', 'sub'), 'utf8'), 'file');
});

test('copyUIDGID: the owner is the container\'s USER from its own /etc/passwd, none without a USER', async () => {
  const { root } = layout();
  fs.writeFileSync(path.join(root, 'etc', 'passwd'), `root:x:0:0::/root:/bin/sh\nme:x:${uid}:${gid}::/home/me:/bin/sh\n`);
  fs.writeFileSync(path.join(root, 'etc', 'group'), `root:x:0:\nme:x:${gid}:\n`);
  assert.deepEqual(copyOwner(root, 'me'), { uid, gid });
  assert.deepEqual(copyOwner(root, `${uid}`), { uid, gid });
  assert.equal(copyOwner(root, ''), undefined);
  assert.equal(copyOwner(root, undefined), undefined);
  // The container's passwd is read inside the root, never through a link to the host's.
  fs.rmSync(path.join(root, 'etc', 'passwd'));
  fs.symlinkSync('/etc/passwd', path.join(root, 'etc', 'passwd'));
  assert.throws(() => copyOwner(root, 'me'), /unable to find user me/);
});
