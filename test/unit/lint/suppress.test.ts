// Suppressions (hadolint pragmas, BuildKit's check directive), severities, experimental rules
// and the "ignore this rule here" fix, which must silence exactly the finding it was made for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../../runtime/lint/index';
import { applyEdits, expectDiagnostics } from './expect';

const BASE = 'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\nCMD node app.js\n';

const CASES: { name: string; source: string; codes: string[]; expected: { code: string; line: number }[] }[] = [
  { name: 'no suppression', source: BASE, codes: ['DL3008', 'JSONArgsRecommended'], expected: [{ code: 'DL3008', line: 2 }, { code: 'JSONArgsRecommended', line: 3 }] },
  { name: 'hadolint ignore on the line above', source: 'FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl\n', codes: ['DL3008'], expected: [] },
  { name: 'hadolint ignore with a reason and a comment in between', source: 'FROM debian:12\n# hadolint ignore=DL3015,DL3008 # pinned by the base\n# install curl\nRUN apt-get install -y curl\n', codes: ['DL3008', 'DL3015'], expected: [] },
  { name: 'hadolint ignore does not reach past a blank line', source: 'FROM debian:12\n# hadolint ignore=DL3008\n\nRUN apt-get install -y --no-install-recommends curl\n', codes: ['DL3008'], expected: [{ code: 'DL3008', line: 4 }] },
  { name: 'hadolint ignore applies to the next instruction only', source: 'FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl\nRUN apt-get install -y --no-install-recommends git\n', codes: ['DL3008'], expected: [{ code: 'DL3008', line: 4 }] },
  { name: 'hadolint global ignore', source: '# hadolint global ignore=DL3008\nFROM debian:12\nRUN apt-get install -y --no-install-recommends curl\nRUN apt-get install -y --no-install-recommends git\n', codes: ['DL3008'], expected: [] },
  { name: 'hadolint stage ignore', source: '# hadolint stage ignore=DL3008\nFROM debian:12 AS a\nRUN apt-get install -y --no-install-recommends curl\nFROM debian:12\nRUN apt-get install -y --no-install-recommends git\n', codes: ['DL3008'], expected: [{ code: 'DL3008', line: 5 }] },
  { name: 'check=skip directive', source: '# check=skip=JSONArgsRecommended,StageNameCasing\nFROM alpine AS Build\nCMD node app.js\n', codes: ['JSONArgsRecommended', 'StageNameCasing'], expected: [] },
  { name: 'check=skip=all', source: '# check=skip=all\nFROM alpine AS Build\nCMD node app.js\n', codes: ['JSONArgsRecommended', 'StageNameCasing'], expected: [] },
  { name: 'check=skip comment above one instruction', source: 'FROM alpine\n# check=skip=JSONArgsRecommended\nCMD node app.js\nENTRYPOINT node app.js\n', codes: ['JSONArgsRecommended'], expected: [{ code: 'JSONArgsRecommended', line: 4 }] },
  { name: 'experimental rule off by default', source: '# not a description\nFROM scratch AS base\n', codes: ['InvalidDefinitionDescription'], expected: [] },
  { name: 'experimental rule on through the directive', source: '# check=experimental=InvalidDefinitionDescription\n# not a description\nFROM scratch AS base\n', codes: ['InvalidDefinitionDescription'], expected: [{ code: 'InvalidDefinitionDescription', line: 3 }] },
  { name: 'off-by-default hadolint rule stays off', source: 'FROM nginx:1.27.0\n', codes: ['DL3057'], expected: [] },
];

for (const c of CASES) test(`suppress: ${c.name}`, () => { expectDiagnostics(c.source, c.expected, { only: c.codes }); });

test('check=error=true makes BuildKit findings errors, not hadolint ones', () => {
  const f = lint(`# check=error=true\n${BASE}`);
  assert.equal(f.find((x) => x.code === 'JSONArgsRecommended')?.severity, 'error');
  assert.equal(f.find((x) => x.code === 'DL3008')?.severity, 'warning');
});

test('config: severities, off, ignored, and turning on an off-by-default rule', () => {
  const f = lint(BASE, { config: { severities: { DL3008: 'error', JSONArgsRecommended: 'off', DL3057: 'info' }, ignored: ['DL3059'] } });
  assert.equal(f.find((x) => x.code === 'DL3008')?.severity, 'error');
  assert.equal(f.some((x) => x.code === 'JSONArgsRecommended'), false);
  assert.equal(f.find((x) => x.code === 'DL3057')?.severity, 'info');
});

test('disableIgnorePragma switches hadolint pragmas off', () => {
  const src = 'FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl\n';
  expectDiagnostics(src, [{ code: 'DL3008', line: 3 }], { config: { disableIgnorePragma: true } });
});

test('DL4003 is folded into MultipleInstructionsDisallowed of the same stage (they point at different CMDs)', () => {
  const f = lint('FROM alpine:3.20 AS a\nCMD ["a"]\nCMD ["b"]\nFROM alpine:3.20\nCMD ["c"]\n');
  assert.deepEqual(f.filter((x) => ['MultipleInstructionsDisallowed', 'DL4003'].includes(x.code)).map((x) => `${x.range.start.line + 1} ${x.code}`), ['2 MultipleInstructionsDisallowed']);
});

test('a hadolint rule duplicating a BuildKit check is reported once, as the BuildKit one', () => {
  const f = lint('FROM alpine:3.20\nMAINTAINER me@example.com\n');
  assert.deepEqual(f.filter((x) => ['MaintainerDeprecated', 'DL4000'].includes(x.code)).map((x) => x.code), ['MaintainerDeprecated']);
  const only = lint('FROM alpine:3.20\nMAINTAINER me@example.com\n', { config: { severities: { MaintainerDeprecated: 'off' } } });
  assert.ok(only.some((x) => x.code === 'DL4000'));
});

// Every finding carries an ignore fix; applying it makes that finding go away and nothing else.
const IGNORE_SOURCES = [
  BASE,
  'FROM alpine AS Build\n# hadolint ignore=DL3018\nRUN apk add curl\nEXPOSE 80/TCP\n',
  '  FROM debian:12\n  # check=skip=StageNameCasing\n  RUN sudo true\n',
  '# check=error=true\nFROM alpine AS Build\nCMD node app.js\n',
];

test('the BuildKit ignore fix extends an existing check directive instead of adding a second', () => {
  const src = '# check=error=true\nFROM alpine AS Build\n';
  const f = lint(src).find((x) => x.code === 'StageNameCasing');
  assert.ok(f);
  assert.equal(applyEdits(src, f.fixes[f.fixes.length - 1].edits), '# check=error=true;skip=StageNameCasing\nFROM alpine AS Build\n');
});
for (const [i, src] of IGNORE_SOURCES.entries()) {
  test(`ignore fix silences exactly its finding (${i})`, () => {
    const before = lint(src);
    assert.ok(before.length > 0);
    for (const f of before) {
      const fix = f.fixes[f.fixes.length - 1];
      assert.match(fix.title, /^(Ignore|Skip) /);
      const after = lint(applyEdits(src, fix.edits));
      const key = (x: typeof f): string => `${x.code}:${x.message}`;
      assert.equal(after.filter((x) => key(x) === key(f)).length, before.filter((x) => key(x) === key(f)).length - 1, `${f.code} after:\n${applyEdits(src, fix.edits)}`);
      assert.equal(after.length, before.length - 1 + after.filter((x) => x.code === 'DL1001').length, `${f.code}: only that finding goes`);
    }
  });
}
