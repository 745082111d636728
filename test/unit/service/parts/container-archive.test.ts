// The root a copy works on (service/parts/container-archive.ts), with the recording syscalls:
// a stopped container's binds and volumes are bound onto its mounted root in order, read-only
// where they must be, at mount points resolved inside the root; the mount options of its
// writable overlay fall back to the store's short links.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordingSyscalls } from '../../../../runtime/linux/fake';
import { hasLiveRoot, mountVolumes, writableMountOptions } from '../../../../runtime/service/parts/container-archive';
import { newState } from '../../../../runtime/container/state';
import { makeRecord } from '../../container/state/fixtures';

const temps: string[] = [];
afterEach(() => { for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true }); });

const MS_RDONLY = 1;
const MS_REMOUNT = 32;
const MS_BIND = 4096;
const MS_REC = 16384;

function setup() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cp-root-'));
  temps.push(tmp);
  const root = path.join(tmp, 'root');
  fs.mkdirSync(path.join(root, 'data'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'src', 'vol'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'src', 'bind'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'src', 'conf'), 'x');
  // /link -> /data inside the container: a bind on /link/sub goes to <root>/data/sub.
  fs.symlinkSync('/data', path.join(root, 'link'));
  const rec = makeRecord('d'.repeat(64), 'stopped', {
    mounts: [
      { Type: 'bind', Source: path.join(tmp, 'src', 'bind'), Destination: '/link/sub/deeper', Mode: '', RW: true, Propagation: 'rprivate' },
      { Type: 'volume', Name: 'v', Source: path.join(tmp, 'src', 'vol'), Destination: '/data', Mode: '', RW: true, Propagation: '' },
      { Type: 'bind', Source: path.join(tmp, 'src', 'conf'), Destination: '/etc/app.conf', Mode: 'ro', RW: false, Propagation: 'rprivate' },
      { Type: 'tmpfs', Source: '', Destination: '/scratch', Mode: '', RW: true, Propagation: '' },
    ],
  });
  return { tmp, root, rec };
}

test('mountVolumes for a write: shallowest first, points made in the root, read-only binds remounted', () => {
  const { tmp, root, rec } = setup();
  const sys = new RecordingSyscalls();
  mountVolumes(rec, root, 'write', sys);
  assert.deepEqual(sys.named('mount').map((c) => c.args), [
    [path.join(tmp, 'src', 'vol'), path.join(root, 'data'), null, MS_BIND | MS_REC, null],
    [path.join(tmp, 'src', 'conf'), path.join(root, 'etc', 'app.conf'), null, MS_BIND | MS_REC, null],
    [null, path.join(root, 'etc', 'app.conf'), null, MS_BIND | MS_REMOUNT | MS_RDONLY, null],
    [path.join(tmp, 'src', 'bind'), path.join(root, 'data', 'sub', 'deeper'), null, MS_BIND | MS_REC, null],
  ]);
  assert.ok(fs.statSync(path.join(root, 'etc', 'app.conf')).isFile(), 'a file bind gets a file mount point');
  assert.ok(fs.statSync(path.join(root, 'data', 'sub', 'deeper')).isDirectory(), 'made through the link, inside the root');
  assert.equal(fs.existsSync(path.join(root, 'scratch')), false, 'tmpfs mounts are not made');
});

test('mountVolumes for a read: everything read-only, missing mount points skipped', () => {
  const { tmp, root, rec } = setup();
  const sys = new RecordingSyscalls();
  mountVolumes(rec, root, 'read', sys);
  assert.deepEqual(sys.named('mount').map((c) => c.args), [
    [path.join(tmp, 'src', 'vol'), path.join(root, 'data'), null, MS_BIND | MS_REC, null],
    [null, path.join(root, 'data'), null, MS_BIND | MS_REMOUNT | MS_RDONLY, null],
  ]);
  assert.equal(fs.existsSync(path.join(root, 'etc')), false, 'nothing made for a read');
});

test('mountVolumes names the mount that failed', () => {
  const { root, rec } = setup();
  const sys = new RecordingSyscalls().failOn('mount', 'EACCES');
  assert.throws(() => mountVolumes(rec, root, 'write', sys), /cannot mount .*src\/vol at \/data of container stopped/);
});

test('writableMountOptions: plain paths, or the store\'s short links when the page is too small', () => {
  const rootfs = { lowerDirs: ['/s/containers/x/init', '/s/image/layers/a/diff'], upperDir: '/s/containers/x/diff', workDir: '/s/containers/x/work', mergedDir: '/m' };
  assert.equal(writableMountOptions(rootfs), 'lowerdir=/s/containers/x/init:/s/image/layers/a/diff,upperdir=/s/containers/x/diff,workdir=/s/containers/x/work');
  const many = { ...rootfs, lowerDirs: Array.from({ length: 60 }, (_, i) => `/state/image/layers/${String(i).padStart(64, '0')}/diff`) };
  const short = writableMountOptions(many, (d) => `/state/image/l/${d.split('/')[4].slice(-4)}`);
  assert.ok(short.length < 4096);
  assert.match(short, /^lowerdir=\/state\/image\/l\/0000:\/state\/image\/l\/0001:/);
  assert.throws(() => writableMountOptions(many, () => undefined), /over the 4095-byte limit of mount\(2\)/);
});

test('hasLiveRoot: running and paused containers with a pid', () => {
  const rec = makeRecord('e'.repeat(64), 'x');
  const cases: Array<[string, number, boolean]> = [['running', 42, true], ['paused', 42, true], ['exited', 0, false], ['created', 0, false], ['running', 0, false], ['restarting', 0, false]];
  for (const [status, pid, want] of cases) assert.equal(hasLiveRoot({ ...rec, state: { ...newState(), status: status as 'running', pid } }), want, `${status} ${pid}`);
});
