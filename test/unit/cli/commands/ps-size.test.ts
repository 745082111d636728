// `slipway ps -s`: docker's SIZE column (units.HumanSizeWithPrecision, 3 digits, "(virtual …)").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { psFields, sizeText, type ListedContainer } from '../../../../runtime/cli/commands/ps';

const cases: Array<[string, Pick<ListedContainer, 'SizeRw' | 'SizeRootFs'>, string]> = [
  ['writable layer and image', { SizeRw: 2, SizeRootFs: 4_261_234 }, '2B (virtual 4.26MB)'],
  ['kB with three digits', { SizeRw: 12_345, SizeRootFs: 1_234_567_890 }, '12.3kB (virtual 1.23GB)'],
  ['no root fs size: only the writable layer', { SizeRw: 1536, SizeRootFs: 0 }, '1.54kB'],
  ['without ?size', {}, '0B'],
];
for (const [name, c, want] of cases) test(`ps size: ${name}`, () => assert.equal(sizeText(c), want));

test('ps --format {{.Size}} uses the same text', () => {
  const c: ListedContainer = { Id: 'a'.repeat(64), Names: ['/web'], Image: 'busybox', Command: 'sh', Created: 0, Ports: [], Labels: {}, State: 'running', Status: 'Up', Mounts: [], SizeRw: 0, SizeRootFs: 4_000_000 };
  assert.equal(psFields(c).Size, '0B (virtual 4MB)');
});
