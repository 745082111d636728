// The build plan: what the executor runs. Everything here is already expanded (ARG/ENV
// substituted) and validated; each step keeps the Dockerfile range of its instruction.
import type { Range } from '../../errors.js';
import type { Instruction } from '../../dockerfile/instructions.js';
import type { Heredoc, Warning } from '../../dockerfile/syntax.js';
import type { BaseImage, ImageConfig } from './config.js';
import type { Platform } from './args.js';
import type { ParsedMount } from './run-mount.js';

export interface BuildOptions {
  /** --build-arg values (`--build-arg NAME` without "=" takes the client's environment: resolve it before). */
  buildArgs?: Record<string, string>;
  /** --target: a stage name; default the last stage. */
  target?: string;
  /** The platform being built for; default the host's. */
  platform?: Platform;
  /** The platform the build runs on; default the host's. */
  buildPlatform?: Platform;
  /**
   * Config of an image used by FROM or COPY --from (already pulled or loaded by the caller).
   * Undefined = unknown: the stage starts from an empty config and no ONBUILD triggers run.
   * Call `baseImageRefs()` first to know which images to load.
   */
  baseImage?: (ref: string, platform: string | undefined) => BaseImage | undefined;
}

export type StageBase =
  | { kind: 'scratch' }
  | { kind: 'stage'; stage: number }
  | { kind: 'image'; ref: string };

/** Where a COPY/RUN --mount reads from. */
export type SourceRef =
  | { kind: 'context' }
  | { kind: 'stage'; stage: number }
  | { kind: 'image'; ref: string };

export type CopySource =
  /** A path or glob in the source (context, stage or image), relative to its root. */
  | { kind: 'path'; path: string; glob: boolean }
  /** A heredoc body written as a file named after the delimiter. */
  | { kind: 'inline'; name: string; content: string }
  /** ADD https://... (downloaded; never extracted). */
  | { kind: 'url'; url: string }
  /** ADD git@... / https://....git (cloned). */
  | { kind: 'git'; url: string };

export interface ChownSpec { user: string; group?: string }

export interface CopyPlan {
  from: SourceRef;
  sources: CopySource[];
  /** Absolute destination (relative ones are joined to WORKDIR). */
  dest: string;
  /** The destination as written, after expansion (for history). */
  destRaw: string;
  /** Destination ends in "/" (or several sources): sources go inside it. */
  destIsDir: boolean;
  /** Names or numbers; names resolve against the image's /etc/passwd at execution. */
  chown?: ChownSpec;
  /** Octal number, or a symbolic mode string ("u+x") where BuildKit accepts one. */
  chmod?: number | string;
  link: boolean;
  parents: boolean;
  exclude: string[];
  /** ADD only: local tar archives are extracted ("auto" = when the file is a tar, Docker's rule). */
  unpack: 'auto' | 'never' | 'always';
  checksum?: string;
  keepGitDir: boolean;
}

export interface RunPlan {
  /** argv: shell form already wrapped with SHELL. */
  args: string[];
  /** The heredocs of the instruction (already folded into `args`/`files`, kept for display). */
  heredocs: Heredoc[];
  /** Files to mount read-only for the process (a `RUN <<EOF` script with a #! line). */
  files: Array<{ path: string; content: string; mode: number }>;
  /** RUN --mount, parsed and expanded (run-mount.ts), in the order written. */
  mounts: RunMount[];
  /** Stages/images that --mount=from=... reads (dependencies for --target pruning). */
  mountSources: SourceRef[];
  network?: string;
  security?: string;
  /** KEY=VALUE environment of the process: image ENV then build args not shadowed by ENV. */
  env: string[];
}

/**
 * A planned RUN --mount: `target` is absolute ('' for a secret given only as an environment
 * variable), `from` is resolved (a bind without one reads the build context; a cache without
 * one starts empty), a cache's `id` defaults to its target.
 */
export interface RunMount extends Omit<ParsedMount, 'from'> {
  from?: SourceRef;
}

export type StepKind = 'run' | 'copy' | 'add' | 'workdir' | 'config';

export interface Step {
  kind: StepKind;
  /** The typed instruction (unexpanded), for display and cache keys. */
  instruction: Instruction;
  range: Range;
  /** True for a step replayed from the base image's ONBUILD triggers. */
  trigger: boolean;
  /** 'always' makes a layer; 'if-changed' (WORKDIR) only when the directory was created. */
  layer: 'always' | 'never' | 'if-changed';
  /** The history entry's created_by, as BuildKit writes it. */
  createdBy: string;
  /** Whether the step adds a history entry (BuildKit adds none for ONBUILD). */
  history: boolean;
  /** The image config after this step. */
  config: ImageConfig;
  /** ARG values (name → value) that this step's expansion or environment used. */
  usedArgs: Record<string, string>;
  /** Variables this step's expansion looked up (ENV or ARG), for explaining cache misses. */
  usedVars: Record<string, string>;
  run?: RunPlan;
  copy?: CopyPlan;
  workdir?: { path: string; user?: string };
}

export interface Stage {
  /** Position of the stage in the Dockerfile (COPY --from=<index> counts these). */
  index: number;
  name?: string;
  base: StageBase;
  /** Expanded --platform of FROM, if given. */
  platform?: string;
  range: Range;
  /** The config the stage starts from (the base's, ONBUILD cleared). */
  baseConfig: ImageConfig;
  author?: string;
  steps: Step[];
  /** The final config after the last step. */
  config: ImageConfig;
  /** Stages this one needs (base and COPY/mount --from). */
  dependsOn: number[];
  /** False when the base image's config was not supplied: ENV-dependent values may be off. */
  baseKnown: boolean;
}

export interface BuildPlan {
  file: string;
  /** Reachable stages only, in Dockerfile order; the last one is the target. */
  stages: Stage[];
  target: Stage;
  /** Global ARG values after --build-arg (for the cache key and for FROM). */
  globalArgs: Record<string, string>;
  platform: Platform;
  warnings: Warning[];
}
