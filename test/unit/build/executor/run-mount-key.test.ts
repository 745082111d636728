// RUN --mount in cache keys: a golden key pins the canonical form of mounts (a change of shape
// must bump CACHE_KEY_VERSION), and a table says what does and does not change a step's key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInstructions } from '../../../../runtime/dockerfile/instructions.js';
import { planBuild } from '../../../../runtime/build/plan/plan.js';
import { cacheKey, describeStep, stageRoot } from '../../../../runtime/build/cache-key.js';
import { withMountKeys } from '../../../../runtime/build/executor/run-mounts.js';

/** The key of the last step, with `sources` as what each mount read (mountSourceKeys). */
function key(text: string, sources: string[] = []): string {
  const steps = planBuild(parseInstructions(text)).target.steps;
  let parent = stageRoot({ kind: 'scratch' });
  for (const s of steps) parent = cacheKey(describeStep(parent, s.run ? withMountKeys(s, sources) : s, 'linux/amd64'));
  return parent;
}

const RUN = 'FROM scratch\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=secret,id=tok,env=TOKEN --mount=source=src,target=/src --mount=type=tmpfs,target=/t,size=1m make\n';
const SOURCES = ['', '', 'context:sha256:' + 'c'.repeat(64), ''];

test('golden key of a RUN with mounts (change CACHE_KEY_VERSION when this must change)', () => {
  assert.equal(key(RUN, SOURCES), 'sha256:cdc30658b22ab526b81127a596abf8551a55752f36ffd88cee92e24b4a6031da');
});

const same: Array<[string, string, string[]]> = [
  ['the same step', RUN, SOURCES],
  ['whitespace and key spelling', RUN.replace('type=tmpfs,target=/t', 'TYPE=tmpfs,dst=/t').replace(' make', '   make'), SOURCES],
];
const differ: Array<[string, string, string[]]> = [
  ['the bind source content', RUN, ['', '', 'context:sha256:' + 'd'.repeat(64), '']],
  ['the secret id', RUN.replace('id=tok', 'id=other'), SOURCES],
  ['the secret env name', RUN.replace('env=TOKEN', 'env=TOK'), SOURCES],
  ['the cache target (and so its id)', RUN.replace('/var/cache/apt', '/var/cache/apk'), SOURCES],
  ['the cache sharing', RUN.replace('sharing=locked', 'sharing=private'), SOURCES],
  ['the tmpfs size', RUN.replace('size=1m', 'size=2m'), SOURCES],
  ['a mount added', RUN.replace(' make', ' --mount=type=tmpfs,target=/u make'), [...SOURCES, '']],
];
for (const [name, text, sources] of same) test(`key unchanged: ${name}`, () => assert.equal(key(text, sources), key(RUN, SOURCES)));
for (const [name, text, sources] of differ) test(`key changes: ${name}`, () => assert.notEqual(key(text, sources), key(RUN, SOURCES)));
