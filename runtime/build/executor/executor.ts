// The executor: runs a build plan against the image store. This file owns the Builder (its
// cache, `builder prune`, base images found or pulled) and one build from start to end:
//
//   up front:   parse, resolve base images (pulled when missing or --pull), plan, build-start
//   per stage:  the base (scratch, a stored image, or an earlier stage)    → stages.ts
//   per step:   cache key → hit: reuse the layer and its time; miss: run   → build-run.ts
//               RUN in a container / COPY, ADD, WORKDIR; the layer stored  → execute.ts
//   at the end: config + manifest written, every -t tagged. Nothing is tagged when a step
//               fails, and the build's temp dir (mounts first) is removed either way.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DockerfileError, SlipwayError, describe, type Range } from '../../errors';
import { parseInstructions } from '../../dockerfile';
import type { Syscalls } from '../../linux/syscalls';
import type { Change } from '../../layer/diff';
import type { SpecialFs } from '../../layer/special-fs';
import { defaultSpecialFs } from '../../layer/syscall-special-fs';
import { checkTagName, type ImageRecord, type ImageStore } from '../../image/store';
import type { ImageConfig as OciImageConfig } from '../../image/types';
import { loadIgnore } from '../context';
import type { BuildEvent, StepInfo } from '../events';
import { baseImageRefs, planBuild, type BuildPlan, type Stage } from '../plan';
import { BuildRun } from './build-run';
import { BuildCache } from './cache';
import { CacheMounts } from './cache-mounts';
import { removeBuildDir } from './mounts';
import { buildPreamble, userDockerfile, withoutLocation } from './report';
import type { StartDeps } from './run';
import { StageSources, type StageState } from './stages';

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
      const stages = new StageSources(plan.file, images, (ref) => this.baseImage(ref, false, signal));
      const env = {
        store: this.deps.store, sys: this.deps.sys, special: this.special, start: { ...this.deps.start, sys: this.deps.sys },
        cache: this.cache, cacheMounts: this.cacheMounts, tempRoot: Builder.tempRoot(this.deps.stateRoot),
      };
      const run = new BuildRun(env, req, plan, stages, matcher, dir, buildId, emit, signal);
      let n = 0;
      for (const stage of plan.stages) {
        const state = await stages.start(stage);
        for (const [i, step] of stage.steps.entries()) {
          current = { step: n, range: step.range };
          // The client went away (or the service is stopping): Docker cancels the build.
          if (signal?.aborted) throw new SlipwayError('build cancelled: the client disconnected');
          await run.step(stage, i, step, n, state);
          n++;
        }
        stages.finish(stage, state);
      }
      current = undefined;
      const final = stages.get(plan.target.index)!;
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

export { layerSummary } from './report';
export type { Change };
