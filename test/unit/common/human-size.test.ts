// docker's go-units HumanSize / HumanSizeWithPrecision (decimal units, Go's %g), as the
// images, history, ps -s, system df and stats I/O columns print them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goFormatG, humanSize, humanSizeWithPrecision } from '../../../runtime/common/format';

const humanSizes: Array<[number, string]> = [
  // go-units' own examples for HumanSize (4 digits).
  [1000, '1kB'], [1024, '1.024kB'], [1_000_000, '1MB'], [1_048_576, '1.049MB'], [2_000_000, '2MB'],
  [3.42e9, '3.42GB'], [5.372e12, '5.372TB'], [2.22e15, '2.22PB'], [1e21, '1ZB'], [0, '0B'], [999, '999B'],
];
for (const [n, want] of humanSizes) test(`humanSize ${n} → ${want}`, () => assert.equal(humanSize(n), want));

const withPrecision3: Array<[number, string]> = [
  [4_210_000, '4.21MB'], [4_214_999, '4.21MB'], [1536, '1.54kB'], [12, '12B'], [1_234_567_890, '1.23GB'],
  [120_000_000, '120MB'],
  // Go's %.3g switches to exponent form at 1000 after rounding: docker prints this too.
  [999_999, '1e+03kB'],
];
for (const [n, want] of withPrecision3) test(`humanSizeWithPrecision(${n}, 3) → ${want}`, () => assert.equal(humanSizeWithPrecision(n, 3), want));

const goG: Array<[number, number, string]> = [
  [4.21, 3, '4.21'], [12.5, 3, '12.5'], [100, 3, '100'], [999.95, 4, '1000'], [123.456, 4, '123.5'],
  [0.00001234, 3, '1.23e-05'], [0.001, 3, '0.001'], [0, 3, '0'], [1e21, 3, '1e+21'],
];
for (const [v, p, want] of goG) test(`Go %.${p}g of ${v} → ${want}`, () => assert.equal(goFormatG(v, p), want));
