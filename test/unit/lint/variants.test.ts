// The same Dockerfile written with either escape character (`# escape=\` or `` ` ``), LF or
// CRLF line endings, and with or without trailing whitespace gives the same findings at the
// same lines: rules see instructions and shell words, never raw line text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../../runtime/lint/index';

// `@` marks the escape character; lines end in `@` for a continuation.
const TEMPLATE = [
  'FROM debian:12 as build',
  'RUN apt-get update && apt-get install @',
  '    curl @',
  '# a comment inside the continuation',
  '    git',
  'ENV DEBIAN_FRONTEND noninteractive',
  'WORKDIR app',
  'RUN cd /tmp && sudo make | tee log',
  'EXPOSE @',
  '',
  '80/TCP',
  'CMD node server.js',
];

// Findings point at the offending word: DL3008 at `curl` (line 3), ExposeProtoCasing at `80/TCP`.
const EXPECTED = [
  '1 FromAsCasing', '3 DL3008', '2 DL3009', '2 DL3014', '2 DL3015', '6 LegacyKeyValueFormat', '7 WorkdirRelativePath',
  '8 DL3003', '8 DL3004', '8 DL4006', '11 ExposeProtoCasing', '9 NoEmptyContinuation', '12 JSONArgsRecommended',
];

function variant(escape: '\\' | '`', eol: '\n' | '\r\n', trailing: string): string {
  const lines = TEMPLATE.map((l) => l.replace(/@$/, escape).replace(/@/g, escape) + trailing);
  const directive = escape === '`' ? ['# escape=`'] : [];
  return [...directive, ...lines].join(eol) + eol;
}

for (const escape of ['\\', '`'] as const) {
  for (const eol of ['\n', '\r\n'] as const) {
    for (const trailing of ['', '  ', '\t']) {
      test(`escape ${escape} × ${eol === '\n' ? 'LF' : 'CRLF'} × trailing ${JSON.stringify(trailing)}`, () => {
        const shift = escape === '`' ? 1 : 0; // the directive line
        const got = lint(variant(escape, eol, trailing)).map((f) => `${f.range.start.line + 1 - shift} ${f.code}`).sort();
        assert.deepEqual(got, [...EXPECTED].sort());
      });
    }
  }
}
