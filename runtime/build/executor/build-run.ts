// One build's per-step dispatch: for each step, select (and hash) what COPY/ADD reads and what
// RUN --mount reads, make the cache key, look it up, and either reuse the cached step or run it
// (execute.ts); then chain the stage's key, layers and history, record the layer's Dockerfile
// source, and emit step-start / step-end. Also owns the build's temp dirs (one per step under
// the build dir) and its init layer for RUN steps.
import fs from 'node:fs';
import path from 'node:path';
import { DockerfileError, describe } from '../../errors';
import type { Syscalls } from '../../linux/syscalls';
import type { SpecialFs } from '../../layer/special-fs';
import { writeInitLayer } from '../../container/start/init-layer';
import type { ImageStore } from '../../image/store';
import type { LayerRecord } from '../../image/layers';
import type { Descriptor } from '../../image/types';
import { cacheKey, describeStep, linkedChainKey, LINK_PARENT } from '../cache-key';
import { selectCopySources, type IgnoreMatcher } from '../context';
import type { BuildEvent, LayerSummary } from '../events';
import { formatPlatform, type BuildPlan, type Stage, type Step } from '../plan';
import { BuildCache, type CacheEntry } from './cache';
import type { CacheMounts } from './cache-mounts';
import type { BuildRequest } from './executor';
import { executeStep } from './execute';
import { resolveGitSources, withGitCommits, type ResolvedGit } from './git';
import { mountOverlay } from './mounts';
import { dockerfileSource, layerSummary, missReason } from './report';
import type { StartDeps } from './run';
import { mountSourceKeys, withMountKeys } from './run-mounts';
import type { StageSources, StageState } from './stages';
import { downloadUrlSources, withDownloadDigests, type Download } from './url';

/** What the Builder lends each build. */
export interface BuilderEnv {
  store: ImageStore;
  sys: Syscalls;
  special: SpecialFs;
  /** RUN containers (sys included). */
  start: StartDeps;
  cache: BuildCache;
  cacheMounts: CacheMounts;
  /** The temp root of all builds: an uploaded context lives under it. */
  tempRoot: string;
}

/** One build's mutable state: the plan, the temp dir, the event sink. */
export class BuildRun {
  private readonly platform: string;
  private stepDirs = 0;
  private initLayer?: string;
  /** ADD <git ref>: the commits each step's key was made with, for its checkout. */
  readonly gitSources = new Map<Step, Array<ResolvedGit | undefined>>();
  /** ADD <url> (no --checksum): the files downloaded for each step's key, for its copy. */
  readonly downloads = new Map<Step, Array<Download | undefined>>();

  constructor(
    readonly env: BuilderEnv, readonly req: BuildRequest, readonly plan: BuildPlan,
    readonly stages: StageSources, readonly ignore: IgnoreMatcher,
    private readonly dir: string, readonly buildId: string,
    readonly emit: (e: BuildEvent) => void, readonly signal?: AbortSignal,
  ) {
    this.platform = formatPlatform(plan.platform);
  }

  /** A fresh directory under the build's temp dir (removed with it). */
  newDir(): string {
    const d = path.join(this.dir, `s${this.stepDirs++}`);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** The unpacked dirs of a layer stack, for overlay lower dirs. */
  async lowers(state: { layers: Descriptor[]; diffIDs: string[] }): Promise<string[]> {
    if (state.layers.length === 0) return [];
    return (await this.env.store.layers.lowerDirs(state.layers, state.diffIDs)).dirs;
  }

  /** The build's init layer (/etc/hosts, resolv.conf, hostname), above the stack in RUN steps. */
  init(): string {
    if (!this.initLayer) {
      this.initLayer = path.join(this.dir, 'init');
      writeInitLayer(this.initLayer, { hostname: this.buildId.slice(0, 12) });
    }
    return this.initLayer;
  }

  /** Runs `fn`; an error that does not carry a Dockerfile location gets the step's. */
  async located<T>(step: Step, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DockerfileError) throw err;
      throw new DockerfileError(describe(err), this.plan.file, step.range, { cause: err });
    }
  }

  async step(stage: Stage, i: number, step: Step, n: number, state: StageState): Promise<void> {
    const started = Date.now();
    this.emit({ type: 'step-start', buildId: this.buildId, step: n, time: started });
    // COPY/ADD: select (and hash) the sources first; the key covers exactly those files.
    let source: { root: string; release(): void } | undefined;
    try {
      let records;
      let selection;
      if (step.copy) {
        source = await this.sourceRoot(step);
        selection = await selectCopySources(source.root, step.copy, this.ignore);
        records = selection.records;
        const git = await resolveGitSources(step.copy, { signal: this.signal }).catch((err: unknown) => {
          throw new DockerfileError(describe(err), this.plan.file, step.range);
        });
        if (git) { records = withGitCommits(records, git); this.gitSources.set(step, git); }
        const downloads = await downloadUrlSources(step.copy, () => this.newDir(), { signal: this.signal }).catch((err: unknown) => {
          throw new DockerfileError(describe(err), this.plan.file, step.range);
        });
        if (downloads) { records = withDownloadDigests(records, downloads); this.downloads.set(step, downloads); }
      }
      // RUN --mount: what the mounts read is part of the key (context content, stage key, image ID).
      const mountKeys = step.run?.mounts.length ? await this.located(step, () => mountSourceKeys(step.run!.mounts, {
        context: this.req.context, ignore: this.ignore, sourceKey: async (ref) => this.stages.key(ref, step),
      })) : undefined;
      const desc = describeStep(step.copy?.link ? LINK_PARENT : state.key, mountKeys ? withMountKeys(step, mountKeys) : step, this.platform, records);
      const key = cacheKey(desc);
      const slot = BuildCache.slot(this.req.dockerfile, stage.index, i);
      const cache = this.env.cache;
      const hit = this.req.noCache ? undefined : cache.get(key);
      const usable = hit && (!hit.layer || await this.env.store.blobs.has(hit.layer.digest));
      let entry: CacheEntry;
      let cacheMiss: string | undefined;
      if (hit && usable) {
        entry = hit;
      } else {
        const lookup = this.req.noCache ? 'no-cache' : hit ? 'layer-removed' : 'none';
        cacheMiss = missReason(lookup, () => cache.lastAt(slot), desc, stage.base.kind === 'image' ? stage.base.ref : undefined);
        entry = await executeStep(this, { step, n, desc, key, state, selection, mountKeys });
        cache.put(entry);
      }
      cache.remember(slot, key);
      state.key = step.copy?.link ? linkedChainKey(state.key, key) : key;
      state.created = entry.created;
      let summary: LayerSummary | undefined;
      if (entry.layer) {
        state.layers.push({ mediaType: entry.layer.mediaType, digest: entry.layer.digest, size: entry.layer.size });
        state.diffIDs.push(entry.layer.diffID);
        const record = await this.env.store.layers.record(entry.layer.diffID);
        if (record) await this.recordSource(record, step, n);
        summary = record ? layerSummary(record) : { diffID: entry.layer.diffID, digest: entry.layer.digest, size: entry.layer.size, uncompressedSize: 0, counts: { added: 0, modified: 0, deleted: 0 } };
      }
      if (step.history || entry.layer) {
        state.history.push({ created: entry.created, created_by: step.createdBy, ...(entry.layer ? {} : { empty_layer: true }) });
      }
      this.emit({
        type: 'step-end', buildId: this.buildId, step: n, cached: cacheMiss === undefined,
        ...(cacheMiss !== undefined ? { cacheMiss } : {}), durationMs: Date.now() - started, ...(summary ? { layer: summary } : {}),
      });
    } finally {
      source?.release();
    }
  }

  /**
   * The layer's record names the instruction of this build that made it (hit or miss): a layer
   * several builds share shows the latest one. Written only when it changed.
   */
  private async recordSource(record: LayerRecord, step: Step, n: number): Promise<void> {
    const source = dockerfileSource(this.req, step.range, n, this.env.tempRoot);
    if (JSON.stringify(record.source) === JSON.stringify(source)) return;
    await this.env.store.layers.putRecord({ ...record, source });
  }

  /** Where a COPY/ADD reads: the context, or an overlay view of a stage's or image's layers. */
  private async sourceRoot(step: Step): Promise<{ root: string; release(): void }> {
    const from = step.copy!.from;
    if (from.kind === 'context') return { root: this.req.context, release: () => undefined };
    const view = mountOverlay(this.env.sys, this.newDir(), await this.lowers(await this.stages.layers(from, step)));
    return { root: view.merged, release: () => view.release() };
  }
}
