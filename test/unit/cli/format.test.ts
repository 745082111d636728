import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesSize, keyValues, renderFormat } from '../../../runtime/cli/format';

const sizes: Array<[number, string]> = [
  [0, '0B'], [512, '512B'], [1024, '1KiB'], [1536, '1.5KiB'], [25_274_953_728, '23.54GiB'], [1024 ** 4 * 2, '2TiB'],
];
for (const [n, text] of sizes) test(`bytesSize ${n} → ${text}`, () => assert.equal(bytesSize(n), text));

const value = { Client: { Version: '0.1.0' }, Server: { Version: '0.2.0', Components: [{ Name: 'Engine' }], Empty: null } };
const formats: Array<[string, string]> = [
  ['json', JSON.stringify(value)],
  ['{{json .}}', JSON.stringify(value)],
  ['{{.Server.Version}}', '0.2.0'],
  ['{{ .Client.Version }} / {{.Server.Version}}', '0.1.0 / 0.2.0'],
  ['{{json .Client}}', '{"Version":"0.1.0"}'],
  ['{{.Server.Missing}}', '<no value>'],
  ['{{.Server.Empty}}', '<no value>'],
  ['a\\tb\\n{{.Client.Version}}', 'a\tb\n0.1.0'],
];
for (const [format, expected] of formats) test(`renderFormat ${format}`, () => assert.equal(renderFormat(format, value), expected));

test('unsupported template actions are refused, not printed', () => {
  assert.throws(() => renderFormat('{{range .Server.Components}}{{.Name}}{{end}}', value), /unsupported template action \{\{range \.Server\.Components\}\}/);
});

test('keyValues aligns values and skips undefined rows', () => {
  assert.equal(keyValues([['Version', '1'], ['Missing', undefined], ['API version', '1.45']], ' ', 14), ' Version:       1\n API version:   1.45');
});
