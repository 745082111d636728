// Report formats: hadolint-style text, JSON rows, and the SARIF 2.1.0 shape code-scanning
// tools require (version, runs[].tool.driver.rules, results with 1-based regions).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatJson, formatText, toSarif } from '../../../runtime/lint/format';
import { lint } from '../../../runtime/lint/index';

const SRC = 'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\nCMD node app.js\n';
const results = [{ file: 'Dockerfile', findings: lint(SRC) }];

test('text: FILE:LINE CODE severity: message', () => {
  const lines = formatText(results).trimEnd().split('\n');
  assert.ok(lines.includes('Dockerfile:2 DL3008 warning: Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`'), lines.join('\n'));
  assert.ok(lines.includes('Dockerfile:3 JSONArgsRecommended warning: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals'));
  assert.equal(formatText([{ file: 'x', findings: [] }]), '');
});

test('json: one row per finding with 1-based positions', () => {
  const rows = JSON.parse(formatJson(results)) as { file: string; line: number; column: number; code: string; level: string }[];
  assert.equal(rows.length, results[0].findings.length);
  const dl3008 = rows.find((r) => r.code === 'DL3008');
  assert.deepEqual([dl3008?.file, dl3008?.line, dl3008?.column, dl3008?.level], ['Dockerfile', 2, 48, 'warning']); // the column of `curl`
});

test('sarif: 2.1.0 shape, rules referenced by index, regions 1-based', () => {
  const sarif = toSarif(results, '0.1.0') as {
    version: string; $schema: string;
    runs: { tool: { driver: { name: string; rules: { id: string; helpUri: string; shortDescription: { text: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
  };
  assert.equal(sarif.version, '2.1.0');
  assert.match(sarif.$schema, /sarif-2\.1\.0/);
  assert.equal(sarif.runs.length, 1);
  const { driver } = sarif.runs[0].tool;
  assert.equal(driver.name, 'slipway-lint');
  assert.equal(sarif.runs[0].results.length, results[0].findings.length);
  for (const r of sarif.runs[0].results) {
    assert.equal(driver.rules[r.ruleIndex].id, r.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(r.level));
    assert.ok(r.message.text.length > 0 && r.locations[0].physicalLocation.artifactLocation.uri === 'Dockerfile');
    assert.ok(r.locations[0].physicalLocation.region.startLine >= 1 && r.locations[0].physicalLocation.region.startColumn >= 1);
  }
  assert.ok(driver.rules.every((r) => r.helpUri.startsWith('https://') && r.shortDescription.text));
});
