// Cache keys: golden digests (an accidental change of the key shape fails here), what does and
// does not change a key, and explainMiss reasons.
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, chmodSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseInstructions } from '../../../runtime/dockerfile/instructions.js';
import { planBuild } from '../../../runtime/build/plan/plan.js';
import type { BuildOptions, Step } from '../../../runtime/build/plan/types.js';
import { cacheKey, canonicalJson, describeStep, explainMiss, fileRecords, stageRoot, type FileRecord, type StepDescription } from '../../../runtime/build/cache-key.js';
import { selectSource } from '../../../runtime/build/context/walk.js';

const steps = (text: string, opts: BuildOptions = {}): Step[] => planBuild(parseInstructions(text), opts).target.steps;

/** Chain keys through a stage as the executor will. */
function keys(text: string, opts: BuildOptions = {}, files: FileRecord[] = []): { keys: string[]; descs: StepDescription[] } {
  let parent = stageRoot({ kind: 'scratch' });
  const descs: StepDescription[] = [];
  const out: string[] = [];
  for (const s of steps(text, opts)) {
    const d = describeStep(parent, s, 'linux/amd64', s.copy ? files : undefined);
    descs.push(d);
    parent = cacheKey(d);
    out.push(parent);
  }
  return { keys: out, descs };
}

const file = (p: string, digest: string, mode = 0o644): FileRecord => ({ path: p, type: 'file', mode, uid: 0, gid: 0, digest });

test('canonicalJson sorts keys at every level and drops undefined', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
});

test('golden keys (change CACHE_KEY_VERSION when these must change)', () => {
  const { keys: k } = keys('FROM scratch\nARG V=1\nENV A=$V\nWORKDIR /app\nRUN echo $A\nCOPY app.py /app/\n', {}, [file('app.py', 'sha256:' + 'a'.repeat(64))]);
  assert.deepEqual(k, GOLDEN);
});

test('whitespace and comments do not change keys; values do', () => {
  const a = keys('FROM scratch\nENV A=1\nRUN echo hi\n').keys;
  assert.deepEqual(keys('FROM scratch\n# comment\nENV   A=1\nRUN  echo hi\n').keys.slice(-1), keys('FROM scratch\nENV A=1\nRUN  echo hi\n').keys.slice(-1));
  assert.notEqual(keys('FROM scratch\nENV A=2\nRUN echo hi\n').keys[1], a[1]);
});

test('a --build-arg change misses only from the first step that uses it', () => {
  const text = 'FROM scratch\nARG V\nRUN echo one\nENV X=1\n';
  const one = keys(text, { buildArgs: { V: '1' } });
  const two = keys(text, { buildArgs: { V: '2' } });
  assert.notEqual(one.keys[0], two.keys[0]); // ARG V=1 vs V=2 history differ
  assert.deepEqual(explainMiss(one.descs[1], two.descs[1]), ['ARG V changed']);
  const text2 = 'FROM scratch\nENV X=1\nARG V\n';
  assert.equal(keys(text2, { buildArgs: { V: '1' } }).keys[0], keys(text2, { buildArgs: { V: '2' } }).keys[0]);
});

test('file content, mode and owner change the COPY key; mtime does not', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slipway-key-'));
  try {
    writeFileSync(path.join(dir, 'app.py'), 'print(1)\n');
    const text = 'FROM scratch\nCOPY app.py /app/\n';
    const rec = async (): Promise<FileRecord[]> => fileRecords((await selectSource(dir, 'app.py'))[0]!.entries);
    const base = keys(text, {}, await rec());
    utimesSync(path.join(dir, 'app.py'), new Date(1000), new Date(1000));
    assert.equal(keys(text, {}, await rec()).keys[0], base.keys[0], 'mtime is not part of the key');
    chmodSync(path.join(dir, 'app.py'), 0o755);
    const moded = keys(text, {}, await rec());
    assert.deepEqual(explainMiss(base.descs[0], moded.descs[0]), ['COPY: app.py mode or owner changed']);
    writeFileSync(path.join(dir, 'app.py'), 'print(2)\n');
    const changed = keys(text, {}, await rec());
    assert.notEqual(changed.keys[0], base.keys[0]);
    assert.deepEqual(explainMiss(moded.descs[0], changed.descs[0]), ['COPY: app.py changed']);
    const [r] = await rec();
    assert.equal(r!.digest, 'sha256:' + createHash('sha256').update('print(2)\n').digest('hex'));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

const misses: Array<[string, string, FileRecord[], FileRecord[], string[]]> = [
  ['instruction', 'RUN echo b', [], [], ['instruction changed']],
  ['added file', 'COPY . /x/', [file('a', 'sha256:1')], [file('a', 'sha256:1'), file('b', 'sha256:2')], ['COPY: b added']],
  ['removed file', 'COPY . /x/', [file('a', 'sha256:1'), file('b', 'sha256:2')], [file('a', 'sha256:1')], ['COPY: b removed']],
];
for (const [name, line, oldFiles, newFiles, want] of misses) {
  test(`explainMiss: ${name}`, () => {
    const before = keys(`FROM scratch\n${line === 'RUN echo b' ? 'RUN echo a' : line}\n`, {}, oldFiles).descs[0]!;
    const afterD = keys(`FROM scratch\n${line}\n`, {}, newFiles).descs[0]!;
    assert.deepEqual(explainMiss(before, afterD), want);
  });
}

test('explainMiss: ENV used by an expansion, parent change, platform, no cache', () => {
  const a = keys('FROM scratch\nENV P=/a\nWORKDIR $P\n').descs;
  const b = keys('FROM scratch\nENV P=/b\nWORKDIR $P\n').descs;
  assert.deepEqual(explainMiss(a[1], b[1]), ['instruction changed', 'ENV P changed']);
  const c = keys('FROM scratch\nENV Q=1\nRUN x\n').descs;
  const d = keys('FROM scratch\nENV Q=2\nRUN x\n').descs;
  assert.deepEqual(explainMiss(c[1], d[1]), ['an earlier step changed']);
  assert.deepEqual(explainMiss(c[1], { ...c[1]!, platform: 'linux/arm64' }), ['platform changed (linux/amd64 → linux/arm64)']);
  assert.deepEqual(explainMiss(undefined, c[1]!), ['no cached step']);
  assert.deepEqual(explainMiss(c[1], c[1]!), []);
});

// Digests of the golden chain above; computed once and pinned.
const GOLDEN: string[] = [
  'sha256:749868efbb0ebac42ae86797eb9986015afb06ac23969439403aed6ba8a0dc29',
  'sha256:81e5200a767bacd30b7aa7a2bca45869b4961c316d594ad1dd9ec12bf8089f7f',
  'sha256:9964b04d517ae1f2060b3b79b387b1d491b5022a94d16e2c88f70f28bc0428e7',
  'sha256:17a8c44763c7b42f58bcde8c95296e8ecbdf6c34a7e3f86b75876f8df71c69e2',
  'sha256:6e0c200d447d05dc717cc8f8bcfd56c8795f1baccd370752af871aef2ed6c6d4',
];

test('canonicalJson: records already in key order come out as the general rule gives them', () => {
  const general = (v: unknown): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
    if (Array.isArray(v)) return `[${v.map(general).join(',')}]`;
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${general(o[k])}`).join(',')}}`;
  };
  const rows: unknown[] = [
    { digest: 'sha256:ab', gid: 0, mode: 420, path: 'a "quoted"\\path', type: 'file', uid: 0 },
    { a: 1, b: undefined, c: null, d: 'x' },
    { b: 1, a: 2 },
    { a: { z: 1, y: [undefined, 2] } },
    { a: new Date(0) },
    Object.assign(Object.create(null) as object, { a: 1, b: 'é' }),
    [{ a: Number.NaN, b: -0, c: true }],
  ];
  for (const v of rows) assert.equal(canonicalJson(v), general(v));
});

test('fileRecords does not follow a symlink swapped in for a selected file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slipway-key-'));
  try {
    for (const size of [19, 2 << 20]) { // read whole, and streamed (over 1 MiB)
      writeFileSync(path.join(dir, 'secret'), 'x'.repeat(size));
      const [m] = await selectSource(dir, 'secret');
      rmSync(path.join(dir, 'secret'));
      symlinkSync('/etc/passwd', path.join(dir, 'secret'));
      await assert.rejects(fileRecords(m!.entries), /ELOOP/, `${size} bytes`);
      rmSync(path.join(dir, 'secret'));
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
