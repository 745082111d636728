import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isStaleTemp, writeFileAtomic, writeFileAtomicSync } from '../../../runtime/common/atomic-file';

const variants = [
  ['async', (f: string, d: string, o?: { mode?: number; fsync?: boolean }) => writeFileAtomic(f, d, o)],
  ['sync', async (f: string, d: string, o?: { mode?: number; fsync?: boolean }) => writeFileAtomicSync(f, d, o)],
] as const;

for (const [name, write] of variants) {
  test(`${name}: replaces the content, honours the mode, leaves no temp file`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-atomic-'));
    try {
      const file = path.join(dir, 'record.json');
      fs.writeFileSync(file, 'old');
      await write(file, 'new', { mode: 0o600 });
      assert.equal(fs.readFileSync(file, 'utf8'), 'new');
      await write(path.join(dir, 'secret'), 's', { mode: 0o600, fsync: false });
      assert.equal(fs.statSync(path.join(dir, 'secret')).mode & 0o777, 0o600);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['record.json', 'secret']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${name}: a failed rename keeps the old file and removes the temp file`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-atomic-'));
    try {
      const target = path.join(dir, 'is-a-dir');
      fs.mkdirSync(path.join(target, 'child'), { recursive: true });
      await assert.rejects(async () => write(target, 'x'));
      assert.ok(fs.statSync(target).isDirectory());
      assert.deepEqual(fs.readdirSync(dir), ['is-a-dir']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('isStaleTemp: only temp names of processes that are gone', async () => {
  const { spawnSync } = await import('node:child_process');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  const cases: Array<[string, boolean]> = [
    [`index.json.tmp-${process.pid}-ab12cd34`, false],
    [`index.json.tmp-${dead}-ab12cd34`, true],
    ['index.json', false],
    ['sha256.tmp-notapid-x', false],
  ];
  for (const [name, want] of cases) assert.equal(isStaleTemp(name), want, name);
});
