import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lint } from '../../../../runtime/lint';
import { findConfigFile, lintOptionsFor, severitiesFromSetting, type Fs } from '../../../../extension/language/lintSettings';

const diskFs: Fs = { readFile: (p) => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } } };
const DOCKERFILE = 'FROM busybox:1.36\nADD app.py /app/\nRUN cd /tmp && echo hi\nCOPY secret.txt /s\n';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'slipway-lint-settings-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

test('the nearest .hadolint.yaml up the tree applies, settings win over it', (t) => {
  const root = tree({ '.hadolint.yaml': 'ignored: [DL3003]\n', 'app/sub/Dockerfile': DOCKERFILE });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const file = path.join(root, 'app/sub/Dockerfile');
  assert.equal(findConfigFile(path.dirname(file), diskFs), path.join(root, '.hadolint.yaml'));
  const codes = (severities: unknown) => lint(DOCKERFILE, lintOptionsFor({ file, severities }, diskFs).options).map((f) => `${f.code}:${f.severity}`);
  const plain = codes({});
  assert.ok(plain.includes('DL3020:error'), plain.join(' '));
  assert.ok(!plain.some((c) => c.startsWith('DL3003')), 'ignored by .hadolint.yaml');
  const tuned = codes({ DL3020: 'off', DL3003: 'warning' });
  assert.ok(!tuned.some((c) => c.startsWith('DL3020')), 'turned off by the setting');
});

test('the configFile setting is resolved against the workspace and must exist', (t) => {
  const root = tree({ 'lint/strict.yaml': 'override:\n  error: [DL3003]\n', 'Dockerfile': DOCKERFILE });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const r = lintOptionsFor({ file: path.join(root, 'Dockerfile'), configFile: 'lint/strict.yaml', workspaceDir: root }, diskFs);
  assert.equal(r.configPath, path.join(root, 'lint/strict.yaml'));
  assert.ok(lint(DOCKERFILE, r.options).some((f) => f.code === 'DL3003' && f.severity === 'error'));
  assert.throws(() => lintOptionsFor({ file: path.join(root, 'Dockerfile'), configFile: 'missing.yaml', workspaceDir: root }, diskFs),
    /lint config file .*missing\.yaml \(setting slipway\.lint\.configFile\) cannot be read/);
});

test('.dockerignore beside the Dockerfile, <name>.dockerignore first', (t) => {
  const root = tree({ '.dockerignore': 'secret.txt\n', 'Dockerfile': DOCKERFILE, 'web.Dockerfile': DOCKERFILE, 'web.Dockerfile.dockerignore': 'other\n' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.equal(lintOptionsFor({ file: path.join(root, 'Dockerfile') }, diskFs).options.dockerignore, 'secret.txt\n');
  assert.equal(lintOptionsFor({ file: path.join(root, 'web.Dockerfile') }, diskFs).options.dockerignore, 'other\n');
  assert.equal(lintOptionsFor({ workspaceDir: root }, diskFs).options.dockerignore, undefined, 'untitled documents have no context');
});

test('severity settings are checked and the bad entry is named', () => {
  assert.deepEqual(severitiesFromSetting({ DL3008: 'off', JSONArgsRecommended: 'error' }), { DL3008: 'off', JSONArgsRecommended: 'error' });
  assert.deepEqual(severitiesFromSetting(undefined), {});
  assert.throws(() => severitiesFromSetting({ DL3008: 'loud' }), /slipway\.lint\.severities\.DL3008: "loud" is not one of/);
  assert.throws(() => severitiesFromSetting(['DL3008']), /must be an object/);
});
