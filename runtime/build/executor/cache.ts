// The build cache index: <state>/build-cache.
//
//   keys/<hex>.json    one finished step: its description (cache-key.ts), the layer it made
//                      (or none), and the time it was made (reused, so a cached rebuild gives
//                      the same image ID)
//   slots/<hex>.json   {"key": …}: the step last built at one place of one Dockerfile (file,
//                      stage, step), so a miss can say what changed since ("COPY: app.py
//                      changed"). Only the key: its description is already in keys/, and a
//                      COPY of 10,000 files has a description of megabytes (written once, not
//                      twice per step). Slots written before held the description itself;
//                      lastAt still reads those, so no cache version bump.
//
// Entries are written atomically (temp + rename); a crash leaves an old entry or none. A hit
// whose layer blob is gone (pruned) is treated as a miss by the executor.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StepDescription } from '../cache-key';
import { writeFileAtomicSync } from '../../common/atomic-file';

export interface CachedLayer {
  diffID: string;
  digest: string;
  mediaType: string;
  size: number;
}

export interface CacheEntry {
  key: string;
  description: StepDescription;
  /** Absent for steps that only changed the config (or a WORKDIR that already existed). */
  layer?: CachedLayer;
  created: string;
}

/** slots/<hex>.json: which entry of keys/ was last built there. */
interface SlotRecord { key: string }

export class BuildCache {
  private readonly keysDir: string;
  private readonly slotsDir: string;

  constructor(readonly root: string) {
    this.keysDir = path.join(root, 'keys');
    this.slotsDir = path.join(root, 'slots');
    fs.mkdirSync(this.keysDir, { recursive: true });
    fs.mkdirSync(this.slotsDir, { recursive: true });
  }

  private keyFile(key: string): string {
    return path.join(this.keysDir, `${key.replace(/^sha256:/, '')}.json`);
  }

  get(key: string): CacheEntry | undefined {
    return readJson<CacheEntry>(this.keyFile(key));
  }

  put(entry: CacheEntry): void {
    writeJson(this.keyFile(entry.key), entry);
  }

  /** The slot of a step: the same Dockerfile, stage and position across builds. */
  static slot(dockerfile: string, stage: number, step: number): string {
    return createHash('sha256').update(`${path.resolve(dockerfile)}\0${stage}\0${step}`).digest('hex');
  }

  /** The description of the step last built at `slot` (undefined: none, or its entry is gone). */
  lastAt(slot: string): StepDescription | undefined {
    const saved = readJson<SlotRecord | StepDescription>(path.join(this.slotsDir, `${slot}.json`));
    if (!saved) return undefined;
    if ('instruction' in saved) return saved; // the older format: the description itself
    return typeof saved.key === 'string' ? this.get(saved.key)?.description : undefined;
  }

  /** `key` (an entry put before, or a hit) is the step last built at `slot`. */
  remember(slot: string, key: string): void {
    writeJson(path.join(this.slotsDir, `${slot}.json`), { key } satisfies SlotRecord);
  }

  /** Drops every entry (`builder prune`). */
  clear(): void {
    for (const d of [this.keysDir, this.slotsDir]) {
      fs.rmSync(d, { recursive: true, force: true });
      fs.mkdirSync(d, { recursive: true });
    }
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined; // missing, or cut short by a crash: a miss either way
  }
}

function writeJson(file: string, value: unknown): void {
  writeFileAtomicSync(file, JSON.stringify(value));
}
