// What rules see (LintContext on the builder's parser): instructions with their stage, flags read
// as BuildKit reads them, exec form only where BuildKit's parser found a JSON array, ONBUILD
// triggers as their own entries, and the heredoc body as the script of `RUN <<EOF`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Range } from '../../../runtime/errors';
import { LintContext } from '../../../runtime/lint/context';

const r = (x: Range | undefined): string => (x ? `${x.start.line}:${x.start.character}-${x.end.line}:${x.end.character}` : '-');

test('instructions: keyword, stage, args, exec form, ranges', () => {
  const ctx = new LintContext('ARG V=1\nFROM alpine:3 AS base\nCmd [ "a", "b c" ]\nCMD [ "a" ] extra\nRUN echo hi  \nFROM base\n');
  assert.deepEqual(ctx.instrs.map((i) => [i.keyword, i.written, i.stage, i.json, i.args, r(i.range)]), [
    ['ARG', 'ARG', -1, false, ['V=1'], '0:0-0:7'],
    ['FROM', 'FROM', 0, false, ['alpine:3', 'AS', 'base'], '1:0-1:21'],
    ['CMD', 'Cmd', 0, true, ['a', 'b c'], '2:0-2:18'],
    // Not JSON to BuildKit (text after the array): shell form, words as written.
    ['CMD', 'CMD', 0, false, ['[', '"a"', ']', 'extra'], '3:0-3:17'],
    // The range ends at the last non-blank character.
    ['RUN', 'RUN', 0, false, ['echo', 'hi'], '4:0-4:11'],
    ['FROM', 'FROM', 1, false, ['base'], '5:0-5:9'],
  ]);
  assert.deepEqual(ctx.globalArgs.map((i) => i.args), [['V=1']]);
  assert.deepEqual(ctx.stages.map((s) => [s.name, s.image, s.parent, s.tag, r(s.nameRange)]), [['base', 'alpine:3', undefined, '3', '1:17-1:21'], [undefined, 'base', 0, undefined, '-']]);
});

test('flags: BuildKit values (quotes removed), ranges, cache mounts', () => {
  const ctx = new LintContext('FROM a AS b\nCOPY --from="b" --chown=1:1 x /y\nRUN --mount=type=cache,target=/root/.cache \\\n  --mount=type=bind,source=.,target=/src go build\n');
  const copy = ctx.of('COPY')[0];
  assert.equal(ctx.flag(copy, 'from'), 'b');
  assert.deepEqual(copy.flags.map((f) => [f.name, f.raw, r(f.valueRange)]), [['from', '--from="b"', '1:12-1:15'], ['chown', '--chown=1:1', '1:24-1:27']]);
  const run = ctx.of('RUN')[0];
  assert.deepEqual(ctx.script(run).mounts, [{ type: 'cache', target: '/root/.cache', from: undefined }, { type: 'bind', target: '/src', from: undefined }]);
  assert.equal(ctx.script(run).text.trim(), 'go build');
});

test('ONBUILD: the trigger follows as its own instruction, ranged from its keyword', () => {
  const ctx = new LintContext('FROM a\nONBUILD RUN --mount=type=cache,target=/x make\n');
  const [, onbuild, trigger] = ctx.instrs;
  assert.equal(onbuild.trigger, trigger);
  assert.deepEqual([trigger.keyword, trigger.onbuild, trigger.stage, r(trigger.range), trigger.flags.map((f) => f.name)], ['RUN', true, 0, '1:8-1:45', ['mount']]);
  assert.equal(ctx.script(trigger).text, 'make');
});

test('heredocs: body lines are not arguments; the body is the script of RUN <<EOF', () => {
  const ctx = new LintContext('FROM a\nCOPY <<EOF /etc/x\nnot/an/arg\nEOF\nRUN <<EOF\napt-get update\nEOF\n');
  const copy = ctx.of('COPY')[0];
  assert.deepEqual([copy.args, copy.heredocs.length, r(copy.range)], [['<<EOF', '/etc/x'], 1, '1:0-3:3']);
  assert.equal(ctx.script(ctx.of('RUN')[0]).text, 'apt-get update');
});

test('parse errors are collected (located), never thrown', () => {
  const ctx = new LintContext('FROM a\nENV A\nFOO bar\nCOPY --chmod 644 x\n');
  assert.deepEqual(ctx.parseErrors.map((e) => e.range.start.line), [1, 2, 3]);
  assert.deepEqual(ctx.instrs.map((i) => i.keyword), ['FROM', 'ENV', 'FOO', 'COPY']);
});
