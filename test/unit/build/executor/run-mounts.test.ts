// The pure-filesystem parts of RUN --mount execution, on temp dirs: which mount points leave
// the upper dir after a step, and how mount sources show in cache keys and miss reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { explainMountMiss, removeMountpoints, withMountKeys } from '../../../../runtime/build/executor/run-mounts.js';
import type { SpecialFs } from '../../../../runtime/layer/special-fs.js';
import type { Step } from '../../../../runtime/build/plan/types.js';

/** A SpecialFs whose only xattrs are the opaque markers listed. */
const fakeSpecial = (opaque: string[]): SpecialFs => ({
  listXattrs: async () => new Map(),
  setXattr: async () => undefined,
  mknod: async () => undefined,
  xattrsOfSync: (p) => (opaque.some((o) => p.endsWith(o)) ? { 'trusted.overlay.opaque': Buffer.from('y') } : undefined),
});

/** Tree spec: "dir/" a directory, "file" an empty file, "file=text" a file with content, "link->target" a symlink. */
function tree(root: string, entries: string[]): void {
  fs.mkdirSync(root, { recursive: true });
  for (const e of entries) {
    const [name, target] = e.split('->');
    if (target !== undefined) { fs.mkdirSync(path.dirname(path.join(root, name!)), { recursive: true }); fs.symlinkSync(target, path.join(root, name!)); continue; }
    if (e.endsWith('/')) { fs.mkdirSync(path.join(root, e), { recursive: true, mode: 0o755 }); fs.chmodSync(path.join(root, e), 0o755); continue; }
    const [file, content = ''] = e.split('=');
    fs.mkdirSync(path.dirname(path.join(root, file!)), { recursive: true });
    fs.writeFileSync(path.join(root, file!), content);
  }
}

const cases: Array<{ name: string; lower: string[]; upper: string[]; targets: string[]; opaque?: string[]; removed: string[]; left: string[] }> = [
  { name: 'a new target and the parents made for it', lower: ['etc/'], upper: ['root/.cache/go/'], targets: ['/root/.cache/go'], removed: ['/root/.cache/go', '/root/.cache', '/root'], left: [] },
  { name: 'a parent the step wrote into stays', lower: [], upper: ['root/.cache/go/', 'root/.cache/other=x'], targets: ['/root/.cache/go'], removed: ['/root/.cache/go'], left: ['root/.cache/other'] },
  { name: 'a copied-up parent with the same metadata goes', lower: ['run/'], upper: ['run/secrets/tok'], targets: ['/run/secrets/tok'], removed: ['/run/secrets/tok', '/run/secrets', '/run'], left: [] },
  { name: 'an opaque parent (the step emptied it) stays', lower: ['run/', 'run/old=1'], upper: ['run/secrets/tok'], targets: ['/run/secrets/tok'], opaque: ['/run'], removed: ['/run/secrets/tok', '/run/secrets'], left: ['run'] },
  { name: 'a target that existed below is left alone', lower: ['data/'], upper: [], targets: ['/data'], removed: [], left: [] },
  { name: 'a non-empty file at a target stays', lower: [], upper: ['conf=written'], targets: ['/conf'], removed: [], left: ['conf'] },
  { name: 'symlinks on the way resolve as in the container', lower: ['run/', 'var/run->/run'], upper: ['run/secrets/k'], targets: ['/var/run/secrets/k'], removed: ['/run/secrets/k', '/run/secrets', '/run'], left: [] },
];
for (const c of cases) {
  test(`removeMountpoints: ${c.name}`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-mountpoints-'));
    try {
      const lower = path.join(dir, 'lower');
      const upper = path.join(dir, 'upper');
      tree(lower, c.lower);
      tree(upper, c.upper);
      const removed = await removeMountpoints(upper, [lower], c.targets, fakeSpecial(c.opaque ?? []));
      assert.deepEqual(removed, c.removed);
      const left = fs.readdirSync(upper, { recursive: true }).map(String).sort();
      for (const p of c.left) assert.ok(left.includes(p), `${p} kept (left: ${left.join(', ')})`);
      assert.equal(left.length, new Set(c.left.flatMap((p) => p.split('/').map((_, i, a) => a.slice(0, i + 1).join('/')))).size, `nothing else left: ${left.join(', ')}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('mount sources enter the key through withMountKeys, and a miss they cause is named', () => {
  const step = { kind: 'run', run: { mounts: [{ type: 'bind', target: '/src', readonly: true, required: false }, { type: 'tmpfs', target: '/t', readonly: false, required: false }] } } as unknown as Step;
  const a = withMountKeys(step, ['context:sha256:aa', '']).run!;
  const b = withMountKeys(step, ['context:sha256:bb', '']).run!;
  assert.deepEqual(a.mounts.map((m) => (m as { content?: string }).content), ['context:sha256:aa', undefined]);
  assert.deepEqual(explainMountMiss(a, b), ['RUN --mount target=/src: its source changed']);
  assert.equal(explainMountMiss(a, a), undefined, 'nothing changed');
  assert.equal(explainMountMiss(a, { ...b, args: ['other'] }), undefined, 'the command changed too: not only the mounts');
});
