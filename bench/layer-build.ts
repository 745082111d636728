// In-process profile of a COPY build: `FROM scratch` + `COPY . /data` over 10,000 small files
// with the Builder called directly (no CLI, no service), --no-cache. Prints each run's wall
// time; run it under `node --cpu-prof --import tsx` to see where the time goes.
// Usage (root): npx tsx bench/layer-build.ts [runs]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Builder } from '../runtime/build/executor';
import { ImageStore } from '../runtime/image';
import { LibcSyscalls } from '../runtime/linux/libc';

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-copy-'));
  try {
    const ctx = path.join(dir, 'ctx');
    for (let i = 0; i < 10_000; i++) {
      const d = path.join(ctx, `d${i % 100}`);
      if (i < 100) fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, `f${i}.txt`), `line ${i} `.repeat(5 + (i % 200)));
    }
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY . /data\n');
    const state = path.join(dir, 'state');
    const store = await ImageStore.open(path.join(state, 'image'));
    const builder = new Builder({ store, stateRoot: state, sys: new LibcSyscalls() });
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      await builder.build({ context: ctx, dockerfile: path.join(ctx, 'Dockerfile'), noCache: true }, () => undefined);
      times.push(performance.now() - t);
    }
    console.log(JSON.stringify({ runs: times.map(Math.round), median: Math.round([...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!), loadavg: os.loadavg()[0] }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
