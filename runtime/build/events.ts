// Slipway's build event stream: what the builder reports while it runs, served as
// newline-delimited JSON by POST /slipway/build and consumed by the CLI's progress output and
// the editor's per-layer preview. (The Docker API's POST /build stream is derived from it.)
//
// One build emits: build-start, then per step step-start → step-log* → step-end (or
// step-error), then build-end or build-error. Steps are numbered over the whole build in plan
// order; `range` is the Dockerfile range (0-based) of the instruction, so the editor can put
// results next to the line.
import type { Range } from '../errors';
import type { Change } from '../layer/diff';

export interface StepInfo {
  /** 0-based over the whole build. */
  index: number;
  /** Stage name or its index as a string. */
  stage: string;
  /** The instruction as written (continuations joined), e.g. "RUN apt-get update". */
  instruction: string;
  range: Range;
}

/**
 * What Docker's classic builder also counts as steps ("Step 1/N : FROM …"): the global ARGs
 * before the first FROM and each stage's FROM. Not steps of Slipway's own (nothing runs), so
 * they are carried beside `steps` and leave the step indices alone.
 */
export interface BuildPreamble {
  /** ARG instructions before the first FROM, as written. */
  globalArgs: string[];
  /** The stages that run, in order. */
  stages: Array<{
    /** Stage name or its index as a string, as StepInfo.stage names it. */
    stage: string;
    /** The FROM instruction as written. */
    instruction: string;
    range: Range;
    /** Image ID of the base when it is an image (not scratch, not a stage). */
    baseId?: string;
  }>;
}

export interface LayerSummary {
  diffID: string;
  digest: string;
  /** Compressed size in bytes. */
  size: number;
  uncompressedSize: number;
  counts: { added: number; modified: number; deleted: number };
  /** The full change list; omitted from the stream when it is long (fetch it from /slipway/images/{id}/layers). */
  changes?: Change[];
}

export type BuildEvent =
  | { type: 'build-start'; buildId: string; dockerfile: string; context: string; steps: StepInfo[]; time: number; preamble?: BuildPreamble }
  | { type: 'step-start'; buildId: string; step: number; time: number }
  | { type: 'step-log'; buildId: string; step: number; stream: 'stdout' | 'stderr'; text: string }
  | {
      type: 'step-end';
      buildId: string;
      step: number;
      cached: boolean;
      /** Why the cache missed ("COPY: app.py changed"), when it did. */
      cacheMiss?: string;
      durationMs: number;
      /** Absent for steps that only change the config (empty_layer in the history). */
      layer?: LayerSummary;
    }
  /** `tags`: the names this build gave (-t), not every name the image already carried. */
  | { type: 'build-end'; buildId: string; imageId: string; tags: string[]; durationMs: number }
  /**
   * `message` never repeats the location; `file` is the Dockerfile as the user named it
   * (relative to the context when inside it), never the service's temp copy.
   */
  | { type: 'build-error'; buildId: string; step?: number; message: string; file?: string; range?: Range; exitCode?: number };
