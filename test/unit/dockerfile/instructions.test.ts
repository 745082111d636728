// Typed instructions: shapes per instruction, flags, heredocs, located errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parseInstructions, parseGoDuration, referencedVariables } from '../../../runtime/dockerfile/instructions.js';
import { parseDockerfile } from '../../../runtime/dockerfile/syntax.js';
import { DockerfileError } from '../../../runtime/errors.js';

const one = (line: string) => parseInstructions(`FROM scratch\n${line}\n`).instructions[1];

const shapes: Array<[string, Record<string, unknown>]> = [
  ['FROM --platform=$BUILDPLATFORM golang:1.22 AS Build', { kind: 'FROM', image: 'golang:1.22', stageName: 'build', platform: '$BUILDPLATFORM' }],
  ['RUN echo hi', { kind: 'RUN', command: { form: 'shell', script: 'echo hi' } }],
  ['RUN ["echo", "hi"]', { kind: 'RUN', command: { form: 'exec', args: ['echo', 'hi'] } }],
  ['RUN --mount=type=cache,target=/root --network=none make', { kind: 'RUN', mounts: ['type=cache,target=/root'], network: 'none' }],
  ['CMD []', { kind: 'CMD', command: { form: 'exec', args: [] } }],
  ['ENTRYPOINT ["/bin/sh", "-c"]', { kind: 'ENTRYPOINT', command: { form: 'exec', args: ['/bin/sh', '-c'] } }],
  ['COPY --from=build --chown=app:app --chmod=755 --link a b /dst/', { kind: 'COPY', from: 'build', chown: 'app:app', chmod: '755', link: true, sources: ['a', 'b'], dest: '/dst/' }],
  ['COPY --parents --exclude=*.md --exclude=x ./src/ /app', { kind: 'COPY', parents: true, exclude: ['*.md', 'x'] }],
  ['ADD --keep-git-dir=true https://x/y.git /src', { kind: 'ADD', keepGitDir: true, sources: ['https://x/y.git'] }],
  ['ADD ["a b", "/c d"]', { kind: 'ADD', sources: ['a b'], dest: '/c d', json: true }],
  ['ENV A=1 B="two words"', { kind: 'ENV', legacy: false, pairs: [{ key: 'A', value: '1' }, { key: 'B', value: '"two words"' }] }],
  ['ENV A two words', { kind: 'ENV', legacy: true, pairs: [{ key: 'A', value: 'two words' }] }],
  ['ARG A B=2', { kind: 'ARG', args: [{ key: 'A' }, { key: 'B', value: '2' }] }],
  ['LABEL a=b', { kind: 'LABEL', pairs: [{ key: 'a', value: 'b' }] }],
  ['EXPOSE 80 443/tcp', { kind: 'EXPOSE', ports: ['80', '443/tcp'] }],
  ['USER app:app', { kind: 'USER', user: 'app:app' }],
  ['WORKDIR /app', { kind: 'WORKDIR', path: '/app' }],
  ['VOLUME ["/a", "/b"]', { kind: 'VOLUME', paths: ['/a', '/b'] }],
  ['STOPSIGNAL SIGINT', { kind: 'STOPSIGNAL', signal: 'SIGINT' }],
  ['HEALTHCHECK --interval=5s --retries=3 CMD curl -f http://x/', { kind: 'HEALTHCHECK', interval: '5s', retries: '3', test: { form: 'shell', script: 'curl -f http://x/' } }],
  ['HEALTHCHECK NONE', { kind: 'HEALTHCHECK', test: 'NONE' }],
  ['SHELL ["/bin/bash", "-o", "pipefail", "-c"]', { kind: 'SHELL', shell: ['/bin/bash', '-o', 'pipefail', '-c'] }],
  ['MAINTAINER Jane <j@x>', { kind: 'MAINTAINER', name: 'Jane <j@x>' }],
  ['ONBUILD COPY . /app', { kind: 'ONBUILD', expression: 'COPY . /app' }],
];
for (const [line, want] of shapes) {
  test(`shape: ${line}`, () => {
    const got = one(line) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
    assert.equal((got.range as { start: { line: number } }).start.line, 1);
  });
}

const errors: Array<[string, RegExp]> = [
  ['FOO bar', /unknown instruction: FOO/],
  ['COPY --foo=1 a b', /unknown flag: --foo/],
  ['COPY --from a b', /missing a value on flag: --from/],
  ['COPY --link=maybe a b', /expecting boolean value for flag --link/],
  ['COPY a', /COPY requires at least two arguments, but only one was provided/],
  ['COPY --link= a b', /missing a value on flag: --link/],
  ['COPY a <<EOF\nx\nEOF', /COPY cannot accept a heredoc as a destination/],
  ['RUN', /RUN requires at least one argument/],
  ['CMD ["a", 1]', /JSON arrays must contain only strings/],
  ['SHELL /bin/sh -c', /SHELL requires the arguments to be in JSON form/],
  ['ENV A', /ENV must have two arguments/],
  ['ENV A=1 B', /can't find = in "B"/],
  ['WORKDIR', /WORKDIR requires exactly one argument/],
  ['HEALTHCHECK --interval=5x CMD true', /invalid duration for --interval/],
  ['HEALTHCHECK FOO x', /Unknown type "FOO"/],
  ['ONBUILD ONBUILD RUN x', /Chaining ONBUILD/],
  ['ONBUILD FROM x', /FROM isn't allowed as an ONBUILD trigger/],
  ['FROM a AS 1x', /invalid name for build stage/],
  ['FROM a b', /FROM requires either one or three arguments/],
  ['RUN <<EOF\nno end', /unterminated heredoc EOF/],
];
for (const [line, re] of errors) {
  test(`error: ${line.split('\n')[0]}`, () => {
    assert.throws(() => one(line), (err: unknown) => {
      assert.ok(err instanceof DockerfileError);
      assert.match(err.message, re);
      assert.match(err.message, /^Dockerfile:2: /);
      assert.equal(err.range.start.line, 1);
      return true;
    });
  });
}

test('a Dockerfile without FROM is a located error', () => {
  assert.throws(() => parseInstructions('RUN x\n'), /no FROM/);
});

test('heredocs: several, <<- tab stripping, quoted delimiter means no expansion', () => {
  const df = parseInstructions('FROM scratch\nRUN <<A cat - <<-"B"\n$X one\nA\n\t\ttwo $Y\n\tB\nCOPY <<EOF /f\nhi\nEOF\n');
  const run = df.instructions[1]!;
  assert.equal(run.kind, 'RUN');
  if (run.kind !== 'RUN') return;
  assert.deepEqual(run.heredocs.map((h) => [h.name, h.content, h.expand, h.chomp]), [['A', '$X one\n', true, false], ['B', 'two $Y\n', false, true]]);
  assert.deepEqual([run.range.start.line, run.range.end.line], [1, 5]);
  const copy = df.instructions[2]!;
  assert.ok(copy.kind === 'COPY' && copy.sources[0] === '<<EOF' && copy.heredocs[0]!.content === 'hi\n');
});

test('escape directive: backtick continues lines and BuildKit keeps `\\\\` at end of line', () => {
  const df = parseInstructions('# escape=`\nFROM scratch\nRUN a `\n  b\nENV C x\\\\\n');
  assert.equal(df.directives.escape, '`');
  assert.deepEqual(df.instructions.map((i) => i.original), ['FROM scratch', 'RUN a   b', 'ENV C x\\\\']);
});

test('directives: duplicate and invalid escape are errors', () => {
  assert.throws(() => parseInstructions('# escape=\\\n# escape=`\nFROM x\n'), /only one escape parser directive/);
  assert.throws(() => parseInstructions('# escape=x\nFROM x\n'), /invalid escape token/);
});

test('referencedVariables maps references back to physical positions', () => {
  const parsed = parseDockerfile('FROM scratch\nCOPY --from=$STAGE \\\n  ${SRC:-a} /d\n');
  const vars = referencedVariables(parsed.nodes[1]!);
  assert.deepEqual(vars.map((v) => [v.name, v.range.start.line, v.range.start.character]), [['STAGE', 1, 12], ['SRC', 2, 2]]);
});

test('parseGoDuration', () => {
  assert.deepEqual(['30s', '1m30s', '500ms', '0', 'x', '5', '1.5h'].map(parseGoDuration),
    [30e9, 90e9, 500e6, 0, undefined, undefined, 5400e9]);
});

test('every real-world Dockerfile parses, except the known template', () => {
  const root = '/work/shared/corpora/real-world';
  const failed: string[] = [];
  let count = 0;
  for (const d of readdirSync(root).filter((x) => x.includes('__'))) {
    for (const f of readdirSync(`${root}/${d}`).filter((x) => !x.includes('dockerignore'))) {
      count++;
      try { parseInstructions(readFileSync(`${root}/${d}/${f}`, 'utf8'), `${d}/${f}`); } catch (e) {
        assert.ok(e instanceof DockerfileError, String(e));
        failed.push(`${d}/${f}`);
      }
    }
  }
  assert.equal(count, 267);
  // A jq template ({{ ... }}), not a Dockerfile: genuinely invalid.
  assert.deepEqual(failed, ['docker-library__mysql/Dockerfile.oracle']);
});
