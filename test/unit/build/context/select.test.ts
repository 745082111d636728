// selectCopySources: a planned COPY against a temp context gives matches and key records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseInstructions } from '../../../../runtime/dockerfile/instructions.js';
import { planBuild } from '../../../../runtime/build/plan/plan.js';
import { selectCopySources } from '../../../../runtime/build/context/select.js';
import { IgnoreMatcher } from '../../../../runtime/build/context/ignore.js';

test('a planned COPY selects its files, honours .dockerignore and --exclude, records heredocs', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'slipway-sel-'));
  try {
    mkdirSync(path.join(root, 'app'));
    for (const f of ['app/a.py', 'app/b.py', 'app/skip.md', 'app/secret.env']) writeFileSync(path.join(root, f), f);
    const steps = planBuild(parseInstructions('FROM scratch\nCOPY --exclude=*.md app/*.py app/skip.md app/secret.env /dst/\nCOPY <<EOF /f\nhi\nEOF\n')).target.steps;
    await assert.rejects(selectCopySources(root, steps[0]!.copy!, new IgnoreMatcher(['**/*.env'])), /secret.env.*excluded/);
    const copy = { ...steps[0]!.copy!, sources: steps[0]!.copy!.sources.slice(0, 1) };
    const sel = await selectCopySources(root, copy, new IgnoreMatcher(['app/b.py']));
    assert.deepEqual(sel.matches[0]!.map((m) => m.path), ['app/a.py']);
    assert.deepEqual(sel.records.map((r) => r.path), ['app/a.py']);
    const inline = await selectCopySources(root, steps[1]!.copy!);
    assert.deepEqual(inline.records.map((r) => [r.path, r.digest?.slice(0, 7)]), [['<<EOF', 'sha256:']]);
  } finally { rmSync(root, { recursive: true, force: true }); }
});
