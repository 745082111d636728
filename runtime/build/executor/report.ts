// What a build reports about itself, in the user's terms (pure): the Dockerfile as the user
// named it (never the service's temp copy of an uploaded context), error text without the
// location the event carries apart, Docker's numbered ARG/FROM preamble, and the source
// (file, 1-based lines, step) recorded with every layer for `slipway layers` and the preview,
// why a step was run instead of reused, and a layer's summary for step-end events.
import path from 'node:path';
import type { Dockerfile } from '../../dockerfile';
import type { DockerfileError, Range } from '../../errors';
import type { DockerfileSource } from '../../image/layer-changes';
import type { ImageRecord } from '../../image/store';
import type { LayerRecord } from '../../image/layers';
import { explainMiss, type StepDescription } from '../cache-key';
import type { BuildPreamble, LayerSummary } from '../events';
import type { BuildPlan } from '../plan';
import type { BuildRequest } from './executor';
import { explainMountMiss } from './run-mounts';

/** The Dockerfile as the user named it: relative to the context when inside it (never the service's path of an uploaded context). */
export function userDockerfile(req: Pick<BuildRequest, 'context' | 'dockerfile'>): string {
  const rel = path.relative(req.context, req.dockerfile);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? req.dockerfile : rel.split(path.sep).join('/');
}

/** A DockerfileError's text starts with "<file>:<line>: ": events carry file and range apart. */
export function withoutLocation(message: string, located: DockerfileError | undefined): string {
  const prefix = located ? `${located.file}:${located.range.start.line + 1}: ` : undefined;
  return prefix && message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** The global ARGs and the FROM of every stage that runs, for Docker's step numbering. */
export function buildPreamble(df: Dockerfile, plan: BuildPlan, images: Map<string, ImageRecord>): BuildPreamble {
  const firstFrom = df.instructions.findIndex((i) => i.kind === 'FROM');
  const fromAt = new Map(df.instructions.filter((i) => i.kind === 'FROM').map((i) => [i.range.start.line, i.original]));
  return {
    globalArgs: df.instructions.slice(0, Math.max(firstFrom, 0)).filter((i) => i.kind === 'ARG').map((i) => i.original),
    stages: plan.stages.map((st) => {
      const baseId = st.base.kind === 'image' ? images.get(st.base.ref)?.id : undefined;
      return { stage: st.name ?? String(st.index), instruction: fromAt.get(st.range.start.line) ?? 'FROM', range: st.range, ...(baseId ? { baseId } : {}) };
    }),
  };
}

/**
 * The source of a layer made by the step at `range` (0-based, as parsed): 1-based lines; the
 * absolute path only when the context is the user's own directory, not an uploaded copy under
 * `tempRoot` that is deleted after the build.
 */
export function dockerfileSource(req: Pick<BuildRequest, 'context' | 'dockerfile'>, range: Range, step: number, tempRoot: string): DockerfileSource {
  // A range that ends at column 0 of a later line stops before that line.
  const last = range.end.line > range.start.line && range.end.character === 0 ? range.end.line - 1 : range.end.line;
  const uploaded = !path.relative(tempRoot, req.context).startsWith('..');
  return { file: userDockerfile(req), startLine: range.start.line + 1, endLine: last + 1, step, ...(uploaded ? {} : { path: req.dockerfile }) };
}

/**
 * A stage's first step missed because its base image is another one (a newer base pulled with
 * --pull, a tag moved): say that, with both IDs, instead of the generic "an earlier step
 * changed". Parents are cache-key stage roots ("image:<id>"); other reasons are kept.
 */
export function withBaseChange(reasons: string[], oldParent: string | undefined, newParent: string, baseRef: string | undefined): string[] {
  const id = (p: string | undefined) => (p?.startsWith('image:') ? p.slice('image:'.length) : undefined);
  const was = id(oldParent), now = id(newParent);
  if (!baseRef || !was || !now || was === now) return reasons;
  const short = (d: string) => d.replace(/^sha256:/, '').slice(0, 12);
  return [`base image ${baseRef} changed (${short(was)} → ${short(now)})`, ...reasons.filter((r) => r !== 'an earlier step changed')];
}

/** How a step's cache lookup went: skipped (--no-cache), a hit whose layer blob is gone, or nothing under its key. */
export type CacheLookup = 'no-cache' | 'layer-removed' | 'none';

/**
 * The build log's reason for running a step. The comparison with the step last built at its
 * place (`last`, read from the cache, then explainMiss over every file record: 10–60 ms for a
 * COPY of 10,000 files) is made only when the cache was consulted and had nothing: --no-cache
 * and a removed layer have their own reason and never call `last`.
 */
export function missReason(lookup: CacheLookup, last: () => StepDescription | undefined, next: StepDescription, baseRef: string | undefined): string {
  if (lookup === 'no-cache') return '--no-cache';
  if (lookup === 'layer-removed') return 'the cached layer was removed';
  const old = last();
  const reasons = withBaseChange(explainMiss(old, next), old?.parent, next.parent, baseRef);
  // A RUN whose only difference is its instruction: a changed mount source says which.
  const mountReasons = reasons.length === 1 && reasons[0] === 'instruction changed' ? explainMountMiss(old?.instruction, next.instruction) : undefined;
  return (mountReasons ?? reasons).join('; ');
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

/** Beyond this many changes a step-end event carries the counts only (the layer's record has them all). */
const MAX_STREAMED_CHANGES = 500;
