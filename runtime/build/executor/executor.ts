// The executor: runs a build plan against the image store.
//
//   per stage: the base (scratch, a stored image — pulled when missing —, or an earlier stage)
//   per step:  cache key (parent key + step + selected-file hashes) → hit: reuse the layer and
//              its time; miss: RUN in a container / COPY, ADD, WORKDIR in an overlay view; the
//              upper dir → layer blob + change list; the upper dir itself becomes the layer's
//              unpacked lower dir for the next step (no re-extraction)
//   at the end: config + manifest written, every -t tagged. Nothing is tagged when a step
//              fails, and the build's temp dir (mounts first) is removed either way.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DockerfileError, SlipwayError, describe, type Range } from '../../errors';
import { parseInstructions } from '../../dockerfile';
import type { Syscalls } from '../../linux/syscalls';
import { diffUpperDir, type Change } from '../../layer/diff';
import type { SpecialFs } from '../../layer/special-fs';
import { defaultSpecialFs } from '../../layer/syscall-special-fs';
import { writeInitLayer } from '../../container/start/init-layer';
import { checkTagName, type ImageRecord, type ImageStore } from '../../image/store';
import { shortId, type LayerRecord } from '../../image/layers';
import type { Descriptor, HistoryEntry, ImageConfig as OciImageConfig } from '../../image/types';
import { cacheKey, describeStep, explainMiss, linkedChainKey, LINK_PARENT, stageRoot, type StepDescription } from '../cache-key';
import { loadIgnore, resolveInRoot, selectCopySources, type IgnoreMatcher } from '../context';
import type { BuildEvent, LayerSummary, StepInfo } from '../events';
import { baseImageRefs, formatPlatform, planBuild, type BuildPlan, type Stage, type Step } from '../plan';
import { BuildCache, type CacheEntry } from './cache';
import { buildPreamble, dockerfileSource, userDockerfile, withBaseChange, withoutLocation } from './report';
import { performCopy, resolveChown } from './copy';
import { resolveGitSources, withGitCommits, type ResolvedGit } from './git';
import { downloadUrlSources, withDownloadDigests, type Download } from './url';
import { copyLayer, type CopyLayer } from './copy-layer';
import { mountOverlay, removeBuildDir } from './mounts';
import { runStep, type StartDeps } from './run';
import { CacheMounts } from './cache-mounts';
import { explainMountMiss, mountSourceKeys, prepareRunMounts, removeMountpoints, withMountKeys, type LayerSource } from './run-mounts';

export interface BuildRequest {
  /** Absolute path of the context directory. */
  context: string;
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  tags?: string[];
  target?: string;
  buildArgs?: Record<string, string>;
  noCache?: boolean;
  /** Pull base images even when they are in the store. */
  pull?: boolean;
  /** Extra labels for the final image (Docker's /build `labels`). */
  labels?: Record<string, string>;
  /** `--secret` values by id, for RUN --mount=type=secret (never stored, never in a cache key). */
  secrets?: Record<string, Buffer>;
}

export interface BuilderDeps {
  store: ImageStore;
  /** <state>: build-cache/ and build-tmp/ live here. */
  stateRoot: string;
  sys: Syscalls;
  special?: SpecialFs;
  /** Starts RUN containers (pool, init/worker bundle paths); `sys` is added. */
  start?: Omit<StartDeps, 'sys'>;
  /** Fetches an image that is not in the store (the registry's pull); absent = not found. */
  pull?: (ref: string, signal?: AbortSignal) => Promise<ImageRecord>;
}

export interface BuildResult { imageId: string; tags: string[] }

/** A build failure that has already been reported as a build-error event. */
export class BuildFailedError extends SlipwayError {}

interface StageState {
  image?: ImageRecord;
  layers: Descriptor[];
  diffIDs: string[];
  history: HistoryEntry[];
  key: string;
  created?: string;
}

const MAX_STREAMED_CHANGES = 500;

export class Builder {
  readonly cache: BuildCache;
  /** RUN --mount=type=cache directories (<state>/build-cache/mounts). */
  readonly cacheMounts: CacheMounts;
  private readonly special: SpecialFs;

  constructor(private readonly deps: BuilderDeps) {
    this.cache = new BuildCache(path.join(deps.stateRoot, 'build-cache'));
    this.cacheMounts = new CacheMounts(path.join(deps.stateRoot, 'build-cache', 'mounts'));
    this.special = deps.special ?? defaultSpecialFs();
  }

  /**
   * `builder prune`: forgets every cached step (their layers stay in the image store until
   * images are pruned) and removes the RUN cache mounts no running step uses.
   */
  prune(): { cachedSteps: number; cacheMounts: string[]; reclaimed: number } {
    let cachedSteps = 0;
    try { cachedSteps = fs.readdirSync(path.join(this.cache.root, 'keys')).length; } catch { /* none yet */ }
    this.cache.clear();
    const mounts = this.cacheMounts.prune();
    return { cachedSteps, cacheMounts: mounts.deleted, reclaimed: mounts.reclaimed };
  }

  /** The temp root of all builds (swept at service start). */
  static tempRoot(stateRoot: string): string {
    return path.join(stateRoot, 'build-tmp');
  }

  async build(req: BuildRequest, emit: (e: BuildEvent) => void, signal?: AbortSignal): Promise<BuildResult> {
    const buildId = randomBytes(12).toString('hex');
    const started = Date.now();
    const dir = path.join(Builder.tempRoot(this.deps.stateRoot), buildId);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    let current: { step: number; range: Range } | undefined;
    try {
      const text = await fs.promises.readFile(req.dockerfile, 'utf8').catch((err: unknown) => {
        throw new SlipwayError(`cannot read the Dockerfile ${req.dockerfile}`, { cause: err, status: 400 });
      });
      const df = parseInstructions(text, req.dockerfile);
      const images = new Map<string, ImageRecord>();
      for (const ref of baseImageRefs(df, { buildArgs: req.buildArgs, target: req.target })) images.set(ref, await this.baseImage(ref, req.pull ?? false, signal));
      const plan = planBuild(df, {
        buildArgs: req.buildArgs, target: req.target,
        baseImage: (ref) => {
          const img = images.get(ref);
          return img ? { config: (img.config.config ?? {}) as never, author: img.config.author, os: img.config.os, architecture: img.config.architecture, variant: img.config.variant } : undefined;
        },
      });
      const steps = stepInfos(plan);
      emit({ type: 'build-start', buildId, dockerfile: req.dockerfile, context: req.context, steps: steps.map((s) => s.info), time: Date.now(), preamble: buildPreamble(df, plan, images) });
      const { matcher } = await loadIgnore(req.context, req.dockerfile);
      const run = new BuildRun(this, req, plan, images, matcher, dir, buildId, emit, signal);
      const states = new Map<number, StageState>();
      let n = 0;
      for (const stage of plan.stages) {
        const state = await run.stageBase(stage, states);
        for (const [i, step] of stage.steps.entries()) {
          current = { step: n, range: step.range };
          // The client went away (or the service is stopping): Docker cancels the build.
          if (signal?.aborted) throw new SlipwayError('build cancelled: the client disconnected');
          await run.step(stage, i, step, n, state, states);
          n++;
        }
        states.set(stage.index, state);
      }
      current = undefined;
      const final = states.get(plan.target.index)!;
      const image = await this.commitImage(plan, plan.target, final, req);
      // This build's -t names only: the image may carry others from earlier builds or tags.
      const tags = [...new Set((req.tags ?? []).map(checkTagName))];
      emit({ type: 'build-end', buildId, imageId: image.id, tags, durationMs: Date.now() - started });
      return { imageId: image.id, tags };
    } catch (err) {
      const exitCode = (err as { exitCode?: number }).exitCode;
      const located = err instanceof DockerfileError ? err : undefined;
      emit({
        type: 'build-error', buildId, message: withoutLocation(describe(err), located),
        ...(current ? { step: current.step } : {}),
        file: userDockerfile(req),
        ...(located?.range ?? current?.range ? { range: located?.range ?? current?.range } : {}),
        ...(exitCode !== undefined ? { exitCode } : {}),
      });
      throw err instanceof SlipwayError ? err : new SlipwayError(describe(err), { cause: err });
    } finally {
      removeBuildDir(this.deps.sys, dir);
    }
  }

  private async baseImage(ref: string, pull: boolean, signal?: AbortSignal): Promise<ImageRecord> {
    const have = await this.deps.store.find(ref).catch(() => undefined);
    if (have && !pull) return have;
    if (this.deps.pull) {
      try {
        return await this.deps.pull(ref, signal);
      } catch (err) {
        if (have) return have; // --pull with the registry out of reach: the local copy will do
        // The cause's text follows through describe(): not repeated in this message.
        throw new SlipwayError(`base image ${ref} is not in the store and cannot be pulled`, { cause: err, status: 404 });
      }
    }
    if (have) return have;
    throw new SlipwayError(`base image ${ref} is not in the store (slipway pull or slipway load it first)`, { status: 404 });
  }

  private async commitImage(plan: BuildPlan, stage: Stage, state: StageState, req: BuildRequest): Promise<ImageRecord> {
    const base = state.image?.config;
    const config = structuredClone(stage.config) as NonNullable<OciImageConfig['config']>;
    if (req.labels && Object.keys(req.labels).length > 0) config.Labels = { ...(config.Labels ?? {}), ...req.labels };
    const created = state.created ?? base?.created ?? new Date(0).toISOString();
    const image: OciImageConfig = {
      created,
      ...(stage.author ? { author: stage.author } : {}),
      architecture: plan.platform.architecture,
      os: plan.platform.os,
      ...(plan.platform.variant ? { variant: plan.platform.variant } : {}),
      config,
      rootfs: { type: 'layers', diff_ids: state.diffIDs },
      history: state.history,
    };
    return this.deps.store.putImage({ config: image, layers: state.layers, names: req.tags ?? [] });
  }

  /** @internal */ get store(): ImageStore { return this.deps.store; }
  /** @internal */ get stateRoot(): string { return this.deps.stateRoot; }
  /** @internal */ get sys(): Syscalls { return this.deps.sys; }
  /** @internal */ get specialFs(): SpecialFs { return this.special; }
  /** @internal */ get startDeps(): StartDeps { return { ...this.deps.start, sys: this.deps.sys }; }
  /** @internal */ baseImageOf(ref: string, pull: boolean, signal?: AbortSignal) { return this.baseImage(ref, pull, signal); }
}

function stepInfos(plan: BuildPlan): Array<{ info: StepInfo }> {
  const out: Array<{ info: StepInfo }> = [];
  for (const stage of plan.stages) {
    for (const step of stage.steps) {
      out.push({ info: { index: out.length, stage: stage.name ?? String(stage.index), instruction: step.instruction.original, range: step.range } });
    }
  }
  return out;
}

/** Layer counts and (short) change list for events. */
export function layerSummary(record: LayerRecord): LayerSummary {
  const changes = record.changes ?? [];
  const counts = { added: 0, modified: 0, deleted: 0 };
  for (const c of changes) counts[c.kind]++;
  return {
    diffID: record.diffID, digest: record.digest, size: record.size, uncompressedSize: record.uncompressedSize, counts,
    ...(changes.length <= MAX_STREAMED_CHANGES ? { changes } : {}),
  };
}

/** One build's mutable state: the plan, the temp dir, the event sink. */
class BuildRun {
  private readonly platform: string;
  private stepDirs = 0;
  private initLayer?: string;
  /** ADD <git ref>: the commits each step's key was made with, for its checkout. */
  private readonly gitSources = new Map<Step, Array<ResolvedGit | undefined>>();
  /** ADD <url> (no --checksum): the files downloaded for each step's key, for its copy. */
  private readonly downloads = new Map<Step, Array<Download | undefined>>();

  constructor(
    private readonly b: Builder, private readonly req: BuildRequest, private readonly plan: BuildPlan,
    private readonly images: Map<string, ImageRecord>, private readonly ignore: IgnoreMatcher,
    private readonly dir: string, private readonly buildId: string,
    private readonly emit: (e: BuildEvent) => void, private readonly signal?: AbortSignal,
  ) {
    this.platform = formatPlatform(plan.platform);
  }

  async stageBase(stage: Stage, states: Map<number, StageState>): Promise<StageState> {
    if (stage.base.kind === 'scratch') return { layers: [], diffIDs: [], history: [], key: stageRoot({ kind: 'scratch' }) };
    if (stage.base.kind === 'stage') {
      const parent = states.get(stage.base.stage);
      if (!parent) throw new DockerfileError(`stage ${stage.base.stage} has not been built`, this.plan.file, stage.range);
      return { ...structuredClone(parent), image: parent.image, key: stageRoot({ kind: 'stage', key: parent.key }) };
    }
    const image = this.images.get(stage.base.ref) ?? await this.b.baseImageOf(stage.base.ref, false, this.signal);
    return {
      image, layers: [...image.manifest.layers], diffIDs: [...image.config.rootfs.diff_ids],
      history: structuredClone(image.config.history ?? image.manifest.layers.map(() => ({}))),
      key: stageRoot({ kind: 'image', id: image.id }), created: image.config.created,
    };
  }

  private newDir(): string {
    const d = path.join(this.dir, `s${this.stepDirs++}`);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  private async lowers(state: { layers: Descriptor[]; diffIDs: string[] }): Promise<string[]> {
    if (state.layers.length === 0) return [];
    return (await this.b.store.layers.lowerDirs(state.layers, state.diffIDs)).dirs;
  }

  async step(stage: Stage, i: number, step: Step, n: number, state: StageState, states: Map<number, StageState>): Promise<void> {
    const started = Date.now();
    this.emit({ type: 'step-start', buildId: this.buildId, step: n, time: started });
    // COPY/ADD: select (and hash) the sources first; the key covers exactly those files.
    let source: { root: string; release(): void } | undefined;
    try {
      let records;
      let selection;
      if (step.copy) {
        source = await this.sourceRoot(step, states);
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
        context: this.req.context, ignore: this.ignore, sourceKey: async (ref) => this.sourceKey(ref, states, step),
      })) : undefined;
      const desc = describeStep(step.copy?.link ? LINK_PARENT : state.key, mountKeys ? withMountKeys(step, mountKeys) : step, this.platform, records);
      const key = cacheKey(desc);
      const slot = BuildCache.slot(this.req.dockerfile, stage.index, i);
      const hit = this.req.noCache ? undefined : this.b.cache.get(key);
      const usable = hit && (!hit.layer || await this.b.store.blobs.has(hit.layer.digest));
      let entry: CacheEntry;
      let cacheMiss: string | undefined;
      if (hit && usable) {
        entry = hit;
      } else {
        const last = this.b.cache.lastAt(slot);
        const reasons = withBaseChange(explainMiss(last, desc), last?.parent, desc.parent, stage.base.kind === 'image' ? stage.base.ref : undefined);
        const mountReasons = reasons.length === 1 && reasons[0] === 'instruction changed' ? explainMountMiss(last?.instruction, desc.instruction) : undefined;
        cacheMiss = this.req.noCache ? '--no-cache' : hit ? 'the cached layer was removed' : (mountReasons ?? reasons).join('; ');
        entry = await this.execute(step, n, desc, key, state, selection, states, mountKeys);
        this.b.cache.put(entry);
      }
      this.b.cache.remember(slot, desc);
      state.key = step.copy?.link ? linkedChainKey(state.key, key) : key;
      state.created = entry.created;
      let summary: LayerSummary | undefined;
      if (entry.layer) {
        state.layers.push({ mediaType: entry.layer.mediaType, digest: entry.layer.digest, size: entry.layer.size });
        state.diffIDs.push(entry.layer.diffID);
        const record = await this.b.store.layers.record(entry.layer.diffID);
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
    const source = dockerfileSource(this.req, step.range, n, Builder.tempRoot(this.b.stateRoot));
    if (JSON.stringify(record.source) === JSON.stringify(source)) return;
    await this.b.store.layers.putRecord({ ...record, source });
  }

  /** Where a COPY/ADD reads: the context, or an overlay view of a stage's or image's layers. */
  private async sourceRoot(step: Step, states: Map<number, StageState>): Promise<{ root: string; release(): void }> {
    const from = step.copy!.from;
    if (from.kind === 'context') return { root: this.req.context, release: () => undefined };
    const view = mountOverlay(this.b.sys, this.newDir(), await this.lowers(await this.layerSource(from, states, step)));
    return { root: view.merged, release: () => view.release() };
  }

  /** The layers of a stage built earlier or of an image (COPY --from, RUN --mount=from=). */
  private async layerSource(from: LayerSource, states: Map<number, StageState>, step: Step): Promise<{ layers: Descriptor[]; diffIDs: string[] }> {
    if (from.kind === 'stage') {
      const s = states.get(from.stage);
      if (!s) throw new DockerfileError(`${step.instruction.kind} --from: stage ${from.stage} has not been built`, this.plan.file, step.range);
      return s;
    }
    const image = this.images.get(from.ref) ?? await this.b.baseImageOf(from.ref, false, this.signal);
    return { layers: image.manifest.layers, diffIDs: image.config.rootfs.diff_ids };
  }

  /** What pins the content of a stage or image: the stage's last cache key, the image's ID. */
  private async sourceKey(from: LayerSource, states: Map<number, StageState>, step: Step): Promise<string> {
    if (from.kind === 'stage') {
      const s = states.get(from.stage);
      if (!s) throw new DockerfileError(`RUN --mount from: stage ${from.stage} has not been built`, this.plan.file, step.range);
      return `stage:${s.key}`;
    }
    const image = this.images.get(from.ref) ?? await this.b.baseImageOf(from.ref, false, this.signal);
    return `image:${image.id}`;
  }

  /** Runs `fn`; an error that does not carry a Dockerfile location gets the step's. */
  private async located<T>(step: Step, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DockerfileError) throw err;
      throw new DockerfileError(describe(err), this.plan.file, step.range, { cause: err });
    }
  }

  /** Runs a step that missed the cache. */
  private async execute(
    step: Step, n: number, desc: StepDescription, key: string, state: StageState, selection: Awaited<ReturnType<typeof selectCopySources>> | undefined,
    states: Map<number, StageState>, mountKeys: string[] | undefined,
  ): Promise<CacheEntry> {
    const created = new Date().toISOString();
    if (step.layer === 'never') return { key, description: desc, created };
    const lowers = await this.lowers(state);
    const dir = this.newDir();
    let upper: string;
    let direct: CopyLayer | undefined;
    if (step.kind === 'run') {
      const run = step.run!;
      const upperDir = path.join(dir, 'upper');
      const work = path.join(dir, 'work');
      for (const d of [upperDir, work, path.join(dir, 'merged')]) fs.mkdirSync(d, { recursive: true });
      if (lowers.length === 0) throw new DockerfileError('RUN needs a base image with a shell or the program to run (the stage is FROM scratch with no files)', this.plan.file, step.range);
      const mounts = run.mounts.length === 0 ? undefined : await this.located(step, () => prepareRunMounts(run.mounts, mountKeys ?? [], {
        sys: this.b.sys, dir: path.join(dir, 'mounts'), context: this.req.context, ignore: this.ignore,
        lowers: async (ref) => this.lowers(await this.layerSource(ref, states, step)),
        caches: this.b.cacheMounts, secrets: new Map(Object.entries(this.req.secrets ?? {})),
      }));
      let status;
      try {
        status = await runStep({
          run, user: step.config.User, workdir: step.config.WorkingDir, hostname: this.buildId.slice(0, 12),
          lowers: [this.init(), ...lowers], imageLowers: lowers, dir, upper: upperDir, work,
          mounts: mounts?.mounts, env: mounts?.env,
          onOutput: (stream, text) => this.emit({ type: 'step-log', buildId: this.buildId, step: n, stream, text }),
          signal: this.signal,
        }, this.b.startDeps);
      } finally {
        mounts?.release();
      }
      if (mounts) await removeMountpoints(upperDir, lowers, mounts.targets, this.b.specialFs);
      if (status.exitCode !== 0 || status.signal) {
        const err = new DockerfileError(`process "${run.args.join(' ')}" did not complete successfully: exit code: ${status.exitCode}`, this.plan.file, step.range);
        Object.assign(err, { exitCode: status.exitCode });
        throw err;
      }
      upper = upperDir;
    } else {
      // COPY --link copies into an empty tree: its layer never depends on the layers below.
      const view = mountOverlay(this.b.sys, dir, step.copy?.link ? [] : lowers);
      try {
        if (step.copy) {
          const input = { root: view.merged, copy: step.copy, kind: step.kind === 'add' ? 'add' as const : 'copy' as const, selection: selection!, special: this.b.specialFs, git: this.gitSources.get(step), downloads: this.downloads.get(step) };
          // The layer straight from the selected files, when that gives what copying would (copy-layer.ts).
          direct = await copyLayer({ ...input, lowerDirs: lowers });
          if (!direct) await performCopy(input);
        } else if (step.workdir) {
          await makeWorkdir(view.merged, step.workdir.path, step.workdir.user);
        }
      } catch (err) {
        if (err instanceof DockerfileError) throw err;
        throw new DockerfileError(describe(err), this.plan.file, step.range, { cause: err });
      } finally {
        view.release();
      }
      upper = view.upper;
    }
    if (direct) {
      // Nothing was written to the upper dir: the store unpacks this layer when something needs it.
      const record = await this.b.store.layers.create(direct.items, { changes: direct.changes });
      return { key, description: desc, created, layer: { diffID: record.diffID, digest: record.digest, mediaType: record.mediaType, size: record.size } };
    }
    const diff = await diffUpperDir(upper, lowers, { special: this.b.specialFs });
    if (step.layer === 'if-changed' && diff.changes.length === 0) return { key, description: desc, created };
    const record = await this.b.store.layers.create(diff.items, { changes: diff.changes });
    await adoptUpper(this.b.store, record.diffID, upper);
    return { key, description: desc, created, layer: { diffID: record.diffID, digest: record.digest, mediaType: record.mediaType, size: record.size } };
  }

  /** The build's init layer (/etc/hosts, resolv.conf, hostname), above the stack in RUN steps. */
  private init(): string {
    if (!this.initLayer) {
      this.initLayer = path.join(this.dir, 'init');
      writeInitLayer(this.initLayer, { hostname: this.buildId.slice(0, 12) });
    }
    return this.initLayer;
  }
}

/** WORKDIR's directory, created (with its missing parents) owned by the step's USER, as BuildKit does. */
async function makeWorkdir(root: string, dir: string, user: string | undefined): Promise<void> {
  const owner = user ? resolveChown(root, { user: user.split(':')[0]!, group: user.split(':')[1] }) : undefined;
  // Symlinks on the way are resolved inside the root: a link to /etc must not reach the host's.
  const rel = await resolveInRoot(root, dir);
  let cur = root;
  for (const part of rel.split('/').filter((p) => p !== '' && p !== '.')) {
    cur = path.join(cur, part);
    if (fs.lstatSync(cur, { throwIfNoEntry: false })) continue;
    fs.mkdirSync(cur, { mode: 0o755 });
    if (owner) fs.lchownSync(cur, owner.uid, owner.gid);
  }
}

/**
 * The step's upper dir is already the layer in overlay form (whiteouts as 0/0 devices, opaque
 * xattrs): move it into the store as the layer's unpacked dir instead of extracting the blob
 * again (the layout of image/layers.ts: layers/<hex>/{diff,link}, l/<short> → diff).
 */
async function adoptUpper(store: ImageStore, diffID: string, upper: string): Promise<void> {
  const hex = diffID.slice(7);
  const layerDir = path.join(store.layers.layersDir, hex);
  if (fs.existsSync(path.join(layerDir, 'diff'))) return;
  const tmp = path.join(store.layers.layersDir, `${hex}.tmp-${process.pid}-${Date.now()}`);
  try {
    fs.mkdirSync(tmp);
    fs.renameSync(upper, path.join(tmp, 'diff'));
    const id = shortId(diffID);
    fs.writeFileSync(path.join(tmp, 'link'), id);
    fs.renameSync(tmp, layerDir);
    fs.rmSync(path.join(store.layers.linksDir, id), { force: true });
    fs.symlinkSync(path.join('..', 'layers', hex, 'diff'), path.join(store.layers.linksDir, id));
  } catch {
    // Another build adopted it first, or the rename crossed devices: the blob unpacks on demand.
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export type { Change };
