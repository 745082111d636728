// `.hadolint.yaml` loading: every key hadolint documents, and clear errors naming the key.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { InvalidArgumentError } from '../../../runtime/errors';
import { loadHadolintConfig, mergeConfigs, parseHadolintConfig } from '../../../runtime/lint/config';

test('parses every documented key', () => {
  const c = parseHadolintConfig([
    'ignored: [DL3008, DL3059]',
    'trustedRegistries:', '  - docker.io', '  - "*.example.com"',
    'override:', '  error: [DL3001]', '  warning: [DL3042]', '  info: [DL3032]', '  style: [DL3015]', '  ignore: [DL3006]',
    'label-schema:', '  author: text', '  version: semver',
    'strict-labels: true', 'disable-ignore-pragma: false', 'failure-threshold: warning',
    'format: json', // hadolint CLI options are accepted and ignored
  ].join('\n'));
  assert.deepEqual(c, {
    ignored: ['DL3008', 'DL3059'], trustedRegistries: ['docker.io', '*.example.com'],
    severities: { DL3001: 'error', DL3042: 'warning', DL3032: 'info', DL3015: 'hint', DL3006: 'off' },
    labelSchema: { author: 'text', version: 'semver' }, strictLabels: true, disableIgnorePragma: false, failureThreshold: 'warning',
  });
});

test('empty file is an empty config', () => assert.deepEqual(parseHadolintConfig(''), {}));

const BAD: [string, RegExp][] = [
  ['ignored: DL3008', /"ignored" must be a list of strings/],
  ['override:\n  fatal: [DL3008]', /unknown severity "fatal" in "override"/],
  ['override: [DL3008]', /"override" must be a mapping/],
  ['strict-labels: yes please', /"strict-labels" must be true or false/],
  ['failure-threshold: high', /"failure-threshold" must be/],
  ['- a\n- b', /expected a mapping at the top level/],
  ['ignored: [a\n', /invalid YAML/],
];
for (const [text, re] of BAD) {
  test(`rejects ${JSON.stringify(text)}`, () => {
    assert.throws(() => parseHadolintConfig(text, 'my.yaml'), (e: unknown) => e instanceof InvalidArgumentError && re.test(e.message) && e.message.startsWith('my.yaml'));
  });
}

test('loadHadolintConfig reads a file and names it in errors', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slipway-lint-config-'));
  try {
    const file = path.join(dir, '.hadolint.yaml');
    writeFileSync(file, 'ignored: [DL3007]\n');
    assert.deepEqual(await loadHadolintConfig(file), { ignored: ['DL3007'] });
    await assert.rejects(loadHadolintConfig(path.join(dir, 'missing.yaml')), /cannot read lint config .*missing\.yaml/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mergeConfigs: later wins, severities and ignored are merged', () => {
  assert.deepEqual(mergeConfigs({ severities: { A: 'error' }, ignored: ['X'], strictLabels: false }, undefined, { severities: { B: 'info' }, ignored: ['Y'], strictLabels: true }),
    { severities: { A: 'error', B: 'info' }, ignored: ['X', 'Y'], strictLabels: true });
});
