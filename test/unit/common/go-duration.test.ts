// Go's time.Duration.String(), as `docker history` and the health probe's timeout message print it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDuration } from '../../../runtime/common/go-duration';

const MS = 1e6;
const S = 1e9;
const rows: Array<[number, string]> = [
  [0, '0s'],
  [500, '500ns'],
  [1500, '1.5µs'],
  [0.5 * MS, '500µs'],
  [250 * MS, '250ms'],
  [500 * MS, '500ms'],
  [1.5 * S, '1.5s'],
  [30 * S, '30s'],
  [90 * S, '1m30s'],
  [300 * S, '5m0s'],
  [3600 * S, '1h0m0s'],
  [3723.5 * S, '1h2m3.5s'],
  [100.1 * S, '1m40.1s'],
  [-1.5 * S, '-1.5s'],
];
for (const [ns, want] of rows) test(`goDuration(${ns}) = ${want}`, () => assert.equal(goDuration(ns), want));
