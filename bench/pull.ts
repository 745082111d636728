// Benchmark: pull of a ~200 MB image (4 incompressible 50 MB layers) from a local
// docker-registry into an empty store, Slipway's registry client beside `skopeo copy` to an
// OCI layout, both timed by hyperfine in one run (medians). Slipway runs as an esbuild bundle
// of this file's `once` mode so the comparison pays Node's start-up but no TypeScript
// compilation. Usage: npx tsx bench/pull.ts [runs]   (needs docker-registry, skopeo, hyperfine)
//   once mode (what hyperfine runs): node pull-bench.js once REF STORE_DIR
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImageStore } from '../runtime/image/store';
import { parseReference } from '../runtime/image/reference';
import { MediaType, hostPlatform, type Descriptor } from '../runtime/image/types';
import { noSpecialFs } from '../runtime/layer/special-fs';
import { pullImage } from '../runtime/registry/pull';
import { pushImage } from '../runtime/registry/push';
import { RegistrySession } from '../runtime/registry/session';
import { startRegistry } from '../test/helpers/registry';

const LAYERS = 4;
const LAYER_BYTES = 50 << 20;

async function once(ref: string, dir: string): Promise<void> {
  const store = await ImageStore.open(dir, { special: noSpecialFs });
  const session = new RegistrySession();
  try {
    await pullImage(store, parseReference(ref), { session });
  } finally {
    await session.close();
  }
}

async function main(runs: number): Promise<void> {
  const esbuild = await import('esbuild');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-pull-'));
  const registry = await startRegistry();
  try {
    const src = await ImageStore.open(path.join(dir, 'src'), { special: noSpecialFs });
    const layers: Descriptor[] = [];
    for (let i = 0; i < LAYERS; i++) layers.push({ mediaType: MediaType.ociLayerGzip, ...(await src.blobs.put(randomBytes(LAYER_BYTES))) });
    const p = hostPlatform();
    const ref = `${registry.host}/bench/big:1`;
    await src.putImage({ config: { architecture: p.architecture, os: p.os, rootfs: { type: 'layers', diff_ids: layers.map(() => `sha256:${randomBytes(32).toString('hex')}`) } }, layers, names: [ref] });
    const session = new RegistrySession();
    await pushImage(src, parseReference(ref), { session });
    await session.close();

    const bundle = path.join(dir, 'pull-bench.js');
    await esbuild.build({ entryPoints: [__filename], bundle: true, platform: 'node', target: 'node20', outfile: bundle, logLevel: 'error', external: ['esbuild'] });
    const store = path.join(dir, 'store');
    const layout = path.join(dir, 'layout');
    const json = path.join(dir, 'hyperfine.json');
    execFileSync('hyperfine', ['--runs', String(runs), '--warmup', '1', '--export-json', json,
      '--prepare', `rm -rf ${store} ${layout}`,
      '-n', 'slipway pull', `node ${bundle} once ${ref} ${store}`,
      '-n', 'skopeo copy', `skopeo copy --quiet --src-tls-verify=false docker://${ref} oci:${layout}:x`,
      '-n', 'node -e 0 (start-up)', 'node -e 0',
    ], { stdio: 'inherit' });
    const results = (JSON.parse(fs.readFileSync(json, 'utf8')) as { results: Array<{ command: string; median: number }> }).results;
    const mb = (LAYERS * LAYER_BYTES) / 1e6;
    console.log(`\nimage: ${LAYERS} layers, ${mb.toFixed(0)} MB`);
    for (const r of results) console.log(`${r.command.padEnd(22)} median ${(r.median * 1000).toFixed(0).padStart(6)} ms${r.command.includes('start-up') ? '' : `   ${(mb / r.median).toFixed(0)} MB/s`}`);
    const s = results.find((r) => r.command === 'slipway pull')!;
    const k = results.find((r) => r.command === 'skopeo copy')!;
    console.log(`slipway throughput = ${((k.median / s.median) * 100).toFixed(0)}% of skopeo's (target ≥ 80%)`);
  } finally {
    await registry.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'once') {
  once(process.argv[3], process.argv[4]).catch((err) => { console.error(err); process.exit(1); });
} else {
  main(Number(process.argv[2] ?? 5)).catch((err) => { console.error(err); process.exit(1); });
}
