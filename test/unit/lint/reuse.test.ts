// One parse, many lints: `lint(ctx, options)` on a context built once must report exactly what
// `lint(text, options)` reports, whatever options it runs under and in whatever order — the
// editor keeps one context per document version and lints it again when settings, config files
// or base-image environments change. The shared part must carry nothing option-dependent.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { lint, LintContext, type LintOptions } from '../../../runtime/lint/index';

const DIR = '/work/shared/corpora/real-world';

function corpus(): { file: string; source: string }[] {
  const out: { file: string; source: string }[] = [];
  for (const repo of readdirSync(DIR).sort()) {
    const dir = path.join(DIR, repo);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) if (!f.includes('dockerignore')) out.push({ file: `${repo}/${f}`, source: readFileSync(path.join(dir, f), 'utf8') });
  }
  return out;
}

// Each row changes what some rules see; run in this order on one context, then again reversed.
const OPTIONS: [string, LintOptions][] = [
  ['defaults', {}],
  ['severities and ignored', { config: { severities: { JSONArgsRecommended: 'error', DL3008: 'off' }, ignored: ['DL3059'] } }],
  ['pragmas disabled', { config: { disableIgnorePragma: true } }],
  ['trusted registries', { config: { trustedRegistries: ['quay.io'] } }],
  ['label schema', { config: { labelSchema: { maintainer: 'email', version: 'semver' }, strictLabels: true } }],
  ['dockerignore', { dockerignore: 'src\n*.md\n' }],
  ['base image env', { baseImageEnv: () => ({ PATH: '/bin', GOPATH: '/go', PYTHON_VERSION: '3.12' }) }],
  ['buildkit only', { families: ['buildkit'] }],
  ['experimental on', { config: { severities: { InvalidDefinitionDescription: 'warning' } } }],
];

test('a context reused under every option set lints as a fresh parse does (whole corpus, both orders)', () => {
  const files = corpus();
  assert.ok(files.length >= 260, `${files.length} files`);
  let compared = 0;
  for (const { file, source } of files) {
    const fresh = new Map(OPTIONS.map(([name, options]) => [name, lint(source, { file, ...options })]));
    const ctx = new LintContext(source, { file });
    for (const rows of [OPTIONS, [...OPTIONS].reverse()]) {
      for (const [name, options] of rows) {
        assert.deepEqual(lint(ctx, { file, ...options }), fresh.get(name), `${file} under ${name}`);
        compared += fresh.get(name)!.length;
      }
    }
  }
  // The rows must make a difference somewhere, or the comparison proves nothing.
  assert.ok(compared > 10_000, `${compared} findings compared`);
});

test('the option rows do change findings (so the comparison above is not vacuous)', () => {
  const source = 'FROM golang\nLABEL version=abc\nRUN apt-get install -y curl\nENV X=$FOO\nCMD make\nCOPY src /src\n';
  const codes = (o: LintOptions): string => lint(source, o).map((f) => `${f.code}:${f.severity}`).sort().join(' ');
  const base = codes({});
  for (const [name, options] of OPTIONS.slice(1)) {
    if (name === 'pragmas disabled' || name === 'experimental on') continue;
    assert.notEqual(codes(options), base, name);
  }
});

test('a context under other options shares the parse and what was computed from it', () => {
  const ctx = new LintContext('FROM alpine AS a\nRUN apk add curl\nFROM a\nRUN echo hi\n', { file: 'Dockerfile.dev' });
  const script = ctx.script(ctx.of('RUN')[0]);
  const view = new LintContext(ctx, { config: { ignored: ['DL3018'] } });
  assert.equal(view.parsed, ctx.parsed);
  assert.equal(view.instrs, ctx.instrs);
  assert.equal(view.stages, ctx.stages);
  // RUN scripts are parsed on first use, once for every context over the same parse.
  assert.equal(view.script(view.of('RUN')[0]), script);
  assert.deepEqual(view.config, { ignored: ['DL3018'] });
  assert.deepEqual(ctx.config, {});
  // The file name is the parse's: it names the file in parse errors.
  assert.equal(view.parsed.file, 'Dockerfile.dev');
});

test('lint(ctx) runs under the context\'s own options; lint(ctx, options) under the given ones', () => {
  const source = 'FROM alpine\nRUN apk add curl\n';
  const ignoring = new LintContext(source, { config: { ignored: ['DL3018'] } });
  assert.ok(!lint(ignoring).some((f) => f.code === 'DL3018'));
  assert.ok(lint(ignoring, {}).some((f) => f.code === 'DL3018'));
  assert.deepEqual(lint(ignoring, {}), lint(source));
});
