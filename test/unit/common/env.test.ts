// Config.Env lists read as name → value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envListToMap } from '../../../runtime/common/env';

const rows: Array<[string, string[], Array<[string, string]>]> = [
  ['K=V pairs, in order', ['PATH=/usr/bin', 'A=1'], [['PATH', '/usr/bin'], ['A', '1']]],
  ['a value with = in it', ['OPTS=-Dx=y'], [['OPTS', '-Dx=y']]],
  ['an empty value', ['A='], [['A', '']]],
  ['a bare name is an empty value', ['EMPTY'], [['EMPTY', '']]],
  ['a later entry wins and keeps the first place', ['A=1', 'B=2', 'A=3'], [['A', '3'], ['B', '2']]],
  ['"=x" is the name ""', ['=x'], [['', 'x']]],
  ['nothing', [], []],
];
for (const [name, list, want] of rows) test(`envListToMap: ${name}`, () => assert.deepEqual([...envListToMap(list)], want));
