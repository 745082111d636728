// Layer creation throughput against `tar c | gzip -1 | sha256sum` on the same data (issue 4:
// target ≥ 70%): 10,000 small files and one 500 MB file. Opt-in (SLIPWAY_BENCH=1), since it
// takes a minute and its numbers only mean something on a quiet machine; interleaved runs,
// medians printed as one JSON line per data set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { treeItemsSync } from '../../../runtime/layer/tree';
import { writeLayer } from '../../../runtime/layer/writer';
import { noSpecialFs } from '../../../runtime/layer/special-fs';

const enabled = process.env.SLIPWAY_BENCH === '1';
const sink = () => new Writable({ write(_c, _e, cb) { cb(); } });
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

async function compare(dir: string, runs: number) {
  const ours: number[] = [], theirs: number[] = [];
  await writeLayer(treeItemsSync(dir, noSpecialFs), sink()); // warm the page cache and the JIT
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    execSync(`tar -C ${dir} -cf - . | gzip -1 | sha256sum > /dev/null`);
    theirs.push(performance.now() - t);
    t = performance.now();
    await writeLayer(treeItemsSync(dir, noSpecialFs), sink());
    ours.push(performance.now() - t);
  }
  return { baselineMs: Math.round(median(theirs)), slipwayMs: Math.round(median(ours)), ratio: +(median(theirs) / median(ours)).toFixed(2) };
}

test('layer creation throughput ≥ 70% of tar | gzip -1 | sha256sum', enabled ? {} : { skip: 'set SLIPWAY_BENCH=1 to run the layer throughput benchmark' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-'));
  try {
    const small = path.join(dir, 'small');
    for (let i = 0; i < 10_000; i++) {
      const d = path.join(small, `d${i % 100}`);
      if (i < 100) fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, `f${i}.txt`), `line ${i} `.repeat(5 + (i % 200)));
    }
    const big = path.join(dir, 'big');
    fs.mkdirSync(big);
    const line = Buffer.from('hello world, some compressible text for the benchmark\n');
    const fd = fs.openSync(path.join(big, 'file.bin'), 'w');
    const block = Buffer.concat(Array.from({ length: 1 << 14 }, (_, i) => Buffer.concat([line, Buffer.from(String(i))])));
    for (let written = 0; written < 500e6; written += block.length) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const results = { small: await compare(small, 7), big: await compare(big, 3) };
    console.log(JSON.stringify({ loadavg: os.loadavg()[0], ...results }));
    assert.ok(results.small.ratio >= 0.7, `10,000 small files at ${results.small.ratio} of the baseline`);
    assert.ok(results.big.ratio >= 0.7, `one 500 MB file at ${results.big.ratio} of the baseline`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
