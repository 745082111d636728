// trace() prints only when SLIPWAY_TRACE=1, synchronously, on a clock shared by processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const module = path.resolve(__dirname, '../../../runtime/common/trace.ts');
const script = `const t = require(${JSON.stringify(module)}); t.trace('one'); t.traceAt(123.45, 'two'); process.stdout.write(String(t.tracing()));`;

const cases: Array<{ env: string | undefined; lines: RegExp[]; tracing: string }> = [
  { env: '1', lines: [/^trace \d+\.\d one$/, /^trace 123\.5 two$/], tracing: 'true' },
  { env: undefined, lines: [], tracing: 'false' },
  { env: '0', lines: [], tracing: 'false' },
];

for (const c of cases) {
  test(`trace with SLIPWAY_TRACE=${c.env ?? '(unset)'}`, () => {
    const env = { ...process.env };
    delete env.SLIPWAY_TRACE;
    if (c.env !== undefined) env.SLIPWAY_TRACE = c.env;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, c.tracing);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('trace '));
    assert.equal(lines.length, c.lines.length, r.stderr);
    c.lines.forEach((re, i) => assert.match(lines[i], re));
    if (c.env === '1') {
      // The clock: epoch milliseconds modulo 1e6, the same in every process.
      const ms = Number(lines[0].split(' ')[1]);
      const now = Date.now() % 1e6;
      assert.ok(Math.abs(now - ms) < 10_000 || Math.abs(now - ms) > 990_000, `${ms} vs ${now}`);
    }
  });
}
