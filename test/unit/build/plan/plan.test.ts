// Build plan: config evolution per instruction, ARG scopes, stages and --target, COPY rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parseInstructions } from '../../../../runtime/dockerfile/instructions.js';
import { planBuild, baseImageRefs } from '../../../../runtime/build/plan/plan.js';
import type { BuildOptions, BuildPlan } from '../../../../runtime/build/plan/types.js';
import type { ImageConfig } from '../../../../runtime/build/plan/config.js';
import { DockerfileError } from '../../../../runtime/errors.js';

const plan = (text: string, opts: BuildOptions = {}): BuildPlan => planBuild(parseInstructions(text), opts);
const finalConfig = (text: string, opts: BuildOptions = {}): ImageConfig => plan(text, opts).target.config;

const configCases: Array<[string, string, BuildOptions, Partial<ImageConfig>]> = [
  ['ENV key=value form with quotes and escapes', 'FROM scratch\nENV A="a b" B=c\\ d C=\'$A\'\n', {}, { Env: ['A=a b', 'B=c d', 'C=$A'] }],
  ['ENV legacy form keeps the rest of the line', 'FROM scratch\nENV A hello   world\n', {}, { Env: ['A=hello   world'] }],
  ['ENV uses the values from before the instruction', 'FROM scratch\nENV a=hello\nENV a=bye b=$a\n', {}, { Env: ['a=bye', 'b=hello'] }],
  ['ENV ${VAR:-x} and ${VAR:+x}', 'FROM scratch\nENV X=1\nENV A=${X:+set} B=${Y:-dflt}\n', {}, { Env: ['X=1', 'A=set', 'B=dflt'] }],
  ['ENV replaces in place', 'FROM scratch\nENV A=1 B=2\nENV A=3\n', {}, { Env: ['A=3', 'B=2'] }],
  ['ARG default, overridden by --build-arg', 'FROM scratch\nARG V=1\nENV V=$V\n', { buildArgs: { V: '9' } }, { Env: ['V=9'] }],
  ['global ARG needs a redeclaration inside the stage', 'ARG G=g\nFROM scratch\nENV A=x$G\nARG G\nENV B=x$G\n', {}, { Env: ['A=x', 'B=xg'] }],
  ['ENV shadows ARG', 'FROM scratch\nARG V=arg\nENV V=env\nENV W=$V\n', {}, { Env: ['V=env', 'W=env'] }],
  ['TARGETARCH needs ARG in a stage', 'FROM scratch\nARG TARGETARCH\nENV A=$TARGETARCH\n', { platform: { os: 'linux', architecture: 'arm64' } }, { Env: ['A=arm64'] }],
  ['LABEL both forms', 'FROM scratch\nLABEL a=1 "b c"="d e"\nLABEL legacy value here\n', {}, { Labels: { a: '1', 'b c': 'd e', legacy: 'value here' } }],
  ['EXPOSE normalisation', 'FROM scratch\nARG P=8080\nEXPOSE 80 53/UDP $P 9000-9001/tcp 127.0.0.1:5000:5001\n', {}, { ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8080/tcp': {}, '9000/tcp': {}, '9001/tcp': {}, '5001/tcp': {} } }],
  ['USER expanded', 'FROM scratch\nARG U=app\nUSER $U:$U\n', {}, { User: 'app:app' }],
  ['WORKDIR relative chaining', 'FROM scratch\nWORKDIR a\nWORKDIR b/../c\nWORKDIR /abs\nWORKDIR d\n', {}, { WorkingDir: '/abs/d' }],
  ['VOLUME both forms', 'FROM scratch\nVOLUME /a /b\nVOLUME ["/c"]\n', {}, { Volumes: { '/a': {}, '/b': {}, '/c': {} } }],
  ['STOPSIGNAL', 'FROM scratch\nSTOPSIGNAL SIGQUIT\n', {}, { StopSignal: 'SIGQUIT' }],
  ['SHELL wraps later shell forms', 'FROM scratch\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD echo hi\n', {}, { Shell: ['/bin/bash', '-o', 'pipefail', '-c'], Cmd: ['/bin/bash', '-o', 'pipefail', '-c', 'echo hi'] }],
  ['CMD exec form', 'FROM scratch\nCMD ["a", "b"]\n', {}, { Cmd: ['a', 'b'] }],
  ['ENTRYPOINT after CMD in the same stage keeps CMD', 'FROM scratch\nCMD ["x"]\nENTRYPOINT ["e"]\n', {}, { Cmd: ['x'], Entrypoint: ['e'] }],
  ['ENTRYPOINT shell form', 'FROM scratch\nENTRYPOINT exec app\n', {}, { Entrypoint: ['/bin/sh', '-c', 'exec app'], Cmd: null }],
  ['HEALTHCHECK options', 'FROM scratch\nHEALTHCHECK --interval=30s --timeout=3s --start-period=1m --retries=4 CMD ["curl", "x"]\n', {},
    { Healthcheck: { Test: ['CMD', 'curl', 'x'], Interval: 30e9, Timeout: 3e9, StartPeriod: 60e9, Retries: 4 } }],
  ['HEALTHCHECK NONE', 'FROM scratch\nHEALTHCHECK NONE\n', {}, { Healthcheck: { Test: ['NONE'] } }],
  ['ONBUILD recorded', 'FROM scratch\nONBUILD RUN make\nONBUILD COPY . /src\n', {}, { OnBuild: ['RUN make', 'COPY . /src'] }],
];
for (const [name, text, opts, want] of configCases) {
  test(`config: ${name}`, () => {
    const got = finalConfig(text, opts) as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
  });
}

test('ENTRYPOINT resets CMD inherited from the base image', () => {
  const base = { config: { Cmd: ['/bin/sh'], Env: ['PATH=/bin'] } };
  const c = finalConfig('FROM busybox\nENTRYPOINT ["/app"]\n', { baseImage: () => base });
  assert.deepEqual([c.Cmd, c.Entrypoint, c.Env], [null, ['/app'], ['PATH=/bin']]);
  assert.deepEqual(base.config.Cmd, ['/bin/sh'], 'the base config is not mutated');
});

test('ONBUILD triggers of the base run in the child, first, and are not inherited further', () => {
  const p = plan('FROM parent\nRUN after\n', { baseImage: () => ({ config: { OnBuild: ['COPY . /app', 'RUN make'] } }) });
  const steps = p.target.steps;
  assert.deepEqual(steps.map((s) => [s.kind, s.trigger]), [['copy', true], ['run', true], ['run', false]]);
  assert.equal(p.target.config.OnBuild, null);
  assert.equal(steps[0]!.range.start.line, 0, 'triggers are located at FROM');
});

test('ONBUILD of an earlier stage triggers when a later stage builds FROM it', () => {
  const p = plan('FROM scratch AS a\nONBUILD ENV T=1\nFROM a\nENV U=2\n');
  assert.deepEqual(p.target.config.Env, ['T=1', 'U=2']);
});

test('MAINTAINER sets the author', () => {
  assert.equal(plan('FROM scratch\nMAINTAINER Jane\n').target.author, 'Jane');
});

test('layers, empty_layer and created_by per step', () => {
  const p = plan('FROM scratch\nARG V=1\nENV A=b\nWORKDIR /app\nRUN echo $A\nCOPY a b /d/\nADD x.tar /\nEXPOSE 80\nCMD ["x"]\nUSER u\nVOLUME /v\n');
  assert.deepEqual(p.target.steps.map((s) => [s.layer, s.createdBy]), [
    ['never', 'ARG V=1'],
    ['never', 'ENV A=b'],
    ['if-changed', 'WORKDIR /app'],
    ['always', 'RUN |1 V=1 /bin/sh -c echo $A # buildkit'],
    ['always', 'COPY a b /d/ # buildkit'],
    ['always', 'ADD x.tar / # buildkit'],
    ['never', 'EXPOSE [80/tcp]'],
    ['never', 'CMD ["x"]'],
    ['never', 'USER u'],
    ['never', 'VOLUME [/v]'],
  ]);
});

// BuildKit adds both ENV and valued ARGs to its state environment as they come: the later
// declaration of a name wins (dockerfile2llb dispatchArg/dispatchEnv).
test('RUN environment: base ENV, then ENV and ARG in declaration order, then proxy args', () => {
  const p = plan('FROM scratch\nENV E=1 V=env\nARG V=arg\nARG W=w\nRUN ["env"]\n', { buildArgs: { HTTP_PROXY: 'http://p' } });
  const run = p.target.steps[3]!.run!;
  assert.deepEqual(run.env, ['E=1', 'V=arg', 'W=w', 'HTTP_PROXY=http://p']);
  assert.deepEqual(run.args, ['env']);
  assert.deepEqual(p.target.steps[3]!.usedArgs, { V: 'arg', W: 'w' });
  const q = plan('FROM scratch\nARG V=arg\nENV V=env\nRUN ["env"]\n', { baseImage: () => ({ config: {} }) });
  assert.deepEqual(q.target.steps[2]!.run!.env, ['V=env']);
  assert.deepEqual(p.warnings.map((w) => w.message), [], 'proxy args never warn as unused');
});

test('unused --build-arg is a warning', () => {
  assert.match(plan('FROM scratch\n', { buildArgs: { NOPE: '1' } }).warnings[0]!.message, /\[NOPE\] were not consumed/);
});

test('stages: names, indexes, scratch, images; --target prunes what it does not need', () => {
  const text = 'ARG BASE=debian\nFROM $BASE AS deps\nFROM scratch AS unused\nFROM deps AS build\nCOPY --from=0 /a /a\nFROM golang AS tools\nFROM scratch\nCOPY --from=build /a /a\nCOPY --from=nginx:1 /b /b\nRUN --mount=type=bind,from=tools,target=/t x\n';
  const all = plan(text);
  assert.deepEqual(all.stages.map((s) => [s.index, s.name, s.base]), [
    [0, 'deps', { kind: 'image', ref: 'debian' }],
    [2, 'build', { kind: 'stage', stage: 0 }],
    [3, 'tools', { kind: 'image', ref: 'golang' }],
    [4, undefined, { kind: 'scratch' }],
  ]);
  assert.deepEqual(all.target.dependsOn, [2, 3]);
  assert.deepEqual(all.target.steps[1]!.copy!.from, { kind: 'image', ref: 'nginx:1' });
  const build = plan(text, { target: 'BUILD', buildArgs: { BASE: 'alpine' } });
  assert.deepEqual(build.stages.map((s) => s.index), [0, 2]);
  assert.equal(build.target.name, 'build');
  assert.deepEqual(build.stages[0]!.base, { kind: 'image', ref: 'alpine' });
  assert.deepEqual(baseImageRefs(parseInstructions(text)).sort(), ['debian', 'golang', 'nginx:1']);
  assert.throws(() => plan(text, { target: 'nope' }), /target stage "nope" could not be found/);
});

test('an error in a stage the target does not need does not fail the plan', () => {
  const text = 'FROM scratch AS broken\nCOPY a b /not-a-dir\nFROM scratch AS ok\nENV A=1\n';
  assert.deepEqual(plan(text, { target: 'ok' }).stages.map((s) => s.name), ['ok']);
  assert.throws(() => plan(text + 'COPY --from=broken /x /x\n'), /destination must be a directory/);
});

test('FROM --platform is expanded and recorded', () => {
  const p = plan('FROM --platform=$BUILDPLATFORM golang AS b\nFROM scratch\n', { target: 'b', buildPlatform: { os: 'linux', architecture: 'amd64' } });
  assert.equal(p.target.platform, 'linux/amd64');
});

const copyCases: Array<[string, Record<string, unknown>]> = [
  ['COPY a /d', { dest: '/d', destIsDir: false }],
  ['COPY a /d/', { dest: '/d', destIsDir: true }],
  ['COPY a rel/', { dest: '/w/rel', destIsDir: true }],
  ['COPY a .', { dest: '/w', destIsDir: true }],
  ['COPY *.py /app/', { sources: [{ kind: 'path', path: '*.py', glob: true }] }],
  ['COPY --chown=app:staff --chmod=0644 a /d', { chown: { user: 'app', group: 'staff' }, chmod: 0o644 }],
  ['COPY --chown=1000 --chmod=u+x a /d', { chown: { user: '1000' }, chmod: 'u+x' }],
  ['COPY --link --parents --exclude=*.md ./src/ /app/', { link: true, parents: true, exclude: ['*.md'] }],
  ['ADD https://example.com/x.tgz /d/', { sources: [{ kind: 'url', url: 'https://example.com/x.tgz' }], unpack: 'auto' }],
  [`ADD --checksum=sha256:${'ab'.repeat(32)} https://example.com/x /d`, { checksum: `sha256:${'ab'.repeat(32)}` }],
  ['ADD git@github.com:a/b.git /src', { sources: [{ kind: 'git', url: 'git@github.com:a/b.git' }] }],
  ['ADD --unpack=false x.tar /d/', { unpack: 'never' }],
  ['COPY <<EOF /f\nhello $N\nEOF', { sources: [{ kind: 'inline', name: 'EOF', content: 'hello n1\n' }] }],
  ['COPY <<"EOF" /f\nhello $N\nEOF', { sources: [{ kind: 'inline', name: 'EOF', content: 'hello $N\n' }] }],
];
for (const [line, want] of copyCases) {
  test(`copy: ${line.split('\n')[0]}`, () => {
    const p = plan(`FROM scratch\nWORKDIR /w\nENV N=n1\n${line}\n`);
    const copy = p.target.steps[2]!.copy! as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) assert.deepEqual(copy[k], v, k);
  });
}

const planErrors: Array<[string, RegExp]> = [
  ['COPY a b /d', /destination must be a directory and end with a \//],
  ['COPY http://x/y /d', /source can't be a URL for COPY/],
  ['COPY --chmod=999 a /d', /invalid chmod parameter: "999"/],
  ['COPY --chown=a:b:c x /d', /invalid chown parameter/],
  ['COPY --from=1 a /d', /refers to current or later stage/],
  ['EXPOSE 80/foo', /invalid proto: foo/],
  ['STOPSIGNAL NOT-A-SIGNAL', /invalid signal/],
  ['ENV A=${B:?needed}', /B: needed/],
  ['ADD --checksum=sha256:ab local /d', /checksum can't be specified for non-HTTP/],
];
for (const [line, re] of planErrors) {
  test(`plan error: ${line}`, () => {
    assert.throws(() => plan(`FROM scratch\n${line}\n`), (err: unknown) => {
      assert.ok(err instanceof DockerfileError);
      assert.match(err.message, re);
      assert.equal(err.range.start.line, 1);
      return true;
    });
  });
}

test('FROM with an ARG that has no value is a located error until --build-arg supplies it', () => {
  assert.throws(() => plan('ARG BASE\nFROM ${BASE}\n'), /base name \(\$\{BASE\}\) should not be blank/);
  assert.deepEqual(plan('ARG BASE\nFROM ${BASE}\n', { buildArgs: { BASE: 'alpine' } }).target.base, { kind: 'image', ref: 'alpine' });
});

test('--chown with variables from an unknown base config is left for execution', () => {
  const text = 'FROM jupyter\nCOPY --chown="${NB_UID}:${NB_GID}" a /d\n';
  assert.deepEqual(plan(text).target.steps[0]!.copy!.chown, { user: '', group: '' });
  assert.throws(() => plan(text, { baseImage: () => ({ config: {} }) }), /invalid chown parameter/);
  const known = plan(text, { baseImage: () => ({ config: { Env: ['NB_UID=1000', 'NB_GID=100'] } }) });
  assert.deepEqual(known.target.steps[0]!.copy!.chown, { user: '1000', group: '100' });
});

test('only ARG may come before FROM', () => {
  assert.throws(() => plan('ENV A=1\nFROM scratch\n'), /ENV before the first FROM/);
});

test('every real-world Dockerfile plans (or fails with a located error only where invalid)', () => {
  const root = '/work/shared/corpora/real-world';
  const failed: string[] = [];
  let planned = 0;
  for (const d of readdirSync(root).filter((x) => x.includes('__'))) {
    for (const f of readdirSync(`${root}/${d}`).filter((x) => !x.includes('dockerignore'))) {
      try {
        // Two sentry files need their base image as a build arg (FROM ${BASE_IMAGE}, no default).
        const p = planBuild(parseInstructions(readFileSync(`${root}/${d}/${f}`, 'utf8'), `${d}/${f}`), { buildArgs: { BASE_IMAGE: 'b', SENTRY_IMAGE: 's' } });
        assert.ok(p.target.steps.length >= 0);
        planned++;
      } catch (e) {
        assert.ok(e instanceof DockerfileError, `${d}/${f}: ${String(e)}`);
        failed.push(`${d}/${f}`);
      }
    }
  }
  // The one failure is a jq template ({{ ... }}), not a Dockerfile.
  assert.deepEqual(failed, ['docker-library__mysql/Dockerfile.oracle']);
  assert.equal(planned, 266);
});

const heredocRuns: Array<[string, string[], string[]]> = [
  ['RUN <<EOF\necho a\necho b\nEOF', ['/bin/sh', '-c', 'echo a\necho b\n'], []],
  ['RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF', ['/dev/pipes/EOF'], ['/dev/pipes/EOF']],
  ['RUN python3 <<EOF > /out\nprint(1)\nEOF', ['/bin/sh', '-c', 'python3 <<EOF > /out\nprint(1)\nEOF'], []],
  ['RUN <<A cat - <<-"B"\none\nA\n\ttwo\n\tB', ['/bin/sh', '-c', '<<A cat - <<-"B"\none\nA\ntwo\nB'], []],
];
for (const [text, args, files] of heredocRuns) {
  test(`RUN heredoc: ${text.split('\n')[0]}`, () => {
    const run = plan(`FROM scratch\n${text}\n`).target.steps[0]!.run!;
    assert.deepEqual(run.args, args);
    assert.deepEqual(run.files.map((f) => f.path), files);
  });
}

// created_by texts follow BuildKit's dockerfile2llb (convert.go, convert_copy.go) at the corpus commit.
test('HEALTHCHECK history is BuildKit\'s Go-formatted struct', () => {
  const p = plan('FROM scratch\nHEALTHCHECK --interval=5m --timeout=3s --retries=3 CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK NONE\n');
  assert.deepEqual(p.target.steps.map((s) => s.createdBy), [
    'HEALTHCHECK {Test:[CMD-SHELL curl -f http://localhost/ || exit 1] Interval:5m0s Timeout:3s StartPeriod:0s StartInterval:0s Retries:3}',
    'HEALTHCHECK {Test:[NONE] Interval:0s Timeout:0s StartPeriod:0s StartInterval:0s Retries:0}',
  ]);
});

test('COPY/RUN/ONBUILD history as BuildKit writes it', () => {
  const p = plan('FROM scratch\nARG D=/dst\nARG NOVAL\nENV D=/env\nCOPY --chmod=644 --chown=u:g --parents a <<EOF b $D/\nx\nEOF\nRUN true\nONBUILD RUN x\n');
  const [, , , copy, run, onbuild] = p.target.steps;
  assert.equal(copy!.createdBy, 'COPY --parents --chown=u:g --chmod=644 a b <<EOF /env/ # buildkit');
  assert.equal(run!.createdBy, 'RUN |2 D=/env NOVAL= /bin/sh -c true # buildkit');
  assert.equal(onbuild!.history, false);
  assert.equal(run!.history, true);
});
