// Docker's classic /build stream as the stock CLI prints it: FROM and global ARG lines are
// numbered steps (as in `DOCKER_BUILDKIT=0 docker build`), errors carry the user's Dockerfile
// name, and the executor's helpers that make the events say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerStreamTranslator } from '../../../../runtime/build/executor/docker-stream';
import { userDockerfile, withBaseChange, withoutLocation } from '../../../../runtime/build/executor/report';
import type { BuildEvent, BuildPreamble, StepInfo } from '../../../../runtime/build/events';
import { DockerfileError } from '../../../../runtime/errors';

const r = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 5 } });
const BASE = 'sha256:' + '3f'.repeat(32);
const IMAGE = 'sha256:' + '12'.repeat(32);
const step = (index: number, stage: string, instruction: string): StepInfo => ({ index, stage, instruction, range: r(index + 1) });
const from = (stage: string, instruction: string, baseId?: string): BuildPreamble['stages'][number] => ({ stage, instruction, range: r(0), ...(baseId ? { baseId } : {}) });

/** Runs every step (start + end, no layer) and ends the build; returns the stream lines. */
function streamOf(steps: StepInfo[], preamble: BuildPreamble | undefined, tags: string[] = []): string[] {
  const t = dockerStreamTranslator();
  const events: BuildEvent[] = [{ type: 'build-start', buildId: 'b', dockerfile: '/c/Dockerfile', context: '/c', time: 0, steps, ...(preamble ? { preamble } : {}) }];
  for (const s of steps) events.push({ type: 'step-start', buildId: 'b', step: s.index, time: 0 }, { type: 'step-end', buildId: 'b', step: s.index, cached: false, durationMs: 1 });
  events.push({ type: 'build-end', buildId: 'b', imageId: IMAGE, tags, durationMs: 2 });
  return events.flatMap(t).map((m) => ('stream' in m ? m.stream.trimEnd() : 'aux' in m ? `aux ${m.aux.ID.slice(7, 11)}` : `error ${m.error}`));
}

const cases: Array<{ name: string; steps: StepInfo[]; preamble?: BuildPreamble; tags?: string[]; want: string[] }> = [
  {
    name: 'FROM is step 1 and the base ID follows it',
    steps: [step(0, '0', 'COPY . /app'), step(1, '0', 'RUN make')],
    preamble: { globalArgs: [], stages: [from('0', 'FROM busybox', BASE)] },
    tags: ['docker.io/library/app:1'],
    want: ['Step 1/3 : FROM busybox', ' ---> 3f3f3f3f3f3f', 'Step 2/3 : COPY . /app', 'Step 3/3 : RUN make', 'aux 1212', 'Successfully built 121212121212', 'Successfully tagged app:1'],
  },
  {
    name: 'global ARGs first; a last stage with no steps prints its FROM at the end',
    steps: [step(0, 'b', 'RUN x')],
    preamble: { globalArgs: ['ARG V=1'], stages: [from('b', 'FROM busybox:${V} AS b', BASE), from('1', 'FROM b')] },
    want: ['Step 1/4 : ARG V=1', 'Step 2/4 : FROM busybox:${V} AS b', ' ---> 3f3f3f3f3f3f', 'Step 3/4 : RUN x', 'Step 4/4 : FROM b', 'aux 1212', 'Successfully built 121212121212'],
  },
  {
    name: 'a stage with no steps in the middle is printed before the next stage',
    steps: [step(0, 'c', 'RUN y')],
    preamble: { globalArgs: [], stages: [from('a', 'FROM scratch AS a'), from('c', 'FROM a AS c')] },
    want: ['Step 1/3 : FROM scratch AS a', 'Step 2/3 : FROM a AS c', 'Step 3/3 : RUN y', 'aux 1212', 'Successfully built 121212121212'],
  },
  {
    name: 'without a preamble (an older service) steps are numbered alone',
    steps: [step(0, '0', 'RUN z')],
    want: ['Step 1/1 : RUN z', 'aux 1212', 'Successfully built 121212121212'],
  },
];

for (const c of cases) {
  test(`docker stream: ${c.name}`, () => {
    assert.deepEqual(streamOf(c.steps, c.preamble, c.tags), c.want);
  });
}

test('docker stream: an error names the user\'s Dockerfile and line once', () => {
  const t = dockerStreamTranslator();
  assert.deepEqual(t({ type: 'build-error', buildId: 'b', message: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3', file: 'Dockerfile', range: r(2), exitCode: 3 }), [{
    errorDetail: { code: 3, message: 'Dockerfile:3: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3' },
    error: 'Dockerfile:3: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
  }]);
  assert.deepEqual(t({ type: 'build-error', buildId: 'b', message: 'base image x is not in the store' }), [{ errorDetail: { message: 'base image x is not in the store' }, error: 'base image x is not in the store' }]);
});

const fileCases: Array<[string, string, string]> = [
  ['/tmp/s/build-tmp/ctx-1', '/tmp/s/build-tmp/ctx-1/Dockerfile', 'Dockerfile'],
  ['/home/u/app', '/home/u/app/docker/prod.Dockerfile', 'docker/prod.Dockerfile'],
  ['/home/u/app', '/home/u/other/Dockerfile', '/home/u/other/Dockerfile'],
];
for (const [context, dockerfile, want] of fileCases) {
  test(`build-error file: ${dockerfile} in ${context} → ${want}`, () => {
    assert.equal(userDockerfile({ context, dockerfile }), want);
  });
}

test('build-error message: the location prefix of a DockerfileError is dropped, other text kept', () => {
  const err = new DockerfileError('unknown instruction: FOO', '/tmp/x/ctx-1/Dockerfile', r(2));
  assert.equal(err.message, '/tmp/x/ctx-1/Dockerfile:3: unknown instruction: FOO');
  assert.equal(withoutLocation(err.message, err), 'unknown instruction: FOO');
  assert.equal(withoutLocation('base image a is not in the store', undefined), 'base image a is not in the store');
});

const A = 'image:sha256:' + 'a1'.repeat(32), B = 'image:sha256:' + 'b2'.repeat(32);
const baseCases: Array<[string, string[], string | undefined, string, string | undefined, string[]]> = [
  ['a new base image is named with both IDs', ['an earlier step changed'], A, B, 'reg/base:1', ['base image reg/base:1 changed (a1a1a1a1a1a1 → b2b2b2b2b2b2)']],
  ['other reasons stay after it', ['an earlier step changed', 'ENV X changed'], A, B, 'reg/base:1', ['base image reg/base:1 changed (a1a1a1a1a1a1 → b2b2b2b2b2b2)', 'ENV X changed']],
  ['the same base: unchanged', ['instruction changed'], A, A, 'reg/base:1', ['instruction changed']],
  ['a later step (parent is a step key): unchanged', ['an earlier step changed'], 'sha256:' + 'c'.repeat(64), 'sha256:' + 'd'.repeat(64), 'reg/base:1', ['an earlier step changed']],
  ['no cached step before: unchanged', ['no cached step'], undefined, B, 'reg/base:1', ['no cached step']],
];
for (const [name, reasons, old, next, ref, want] of baseCases) {
  test(`cache miss reason: ${name}`, () => {
    assert.deepEqual(withBaseChange(reasons, old, next, ref), want);
  });
}
