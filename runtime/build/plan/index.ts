// The build plan: typed instructions → stages and steps the executor runs.
export { planBuild, baseImageRefs, runArgv } from './plan.js';
export type { BuildOptions, BuildPlan, Stage, StageBase, Step, StepKind, RunPlan, CopyPlan, CopySource, SourceRef, ChownSpec } from './types.js';
export { type ImageConfig, type BaseImage, DEFAULT_SHELL } from './config.js';
export { hostPlatform, parsePlatform, formatPlatform, PROXY_ARGS, type Platform } from './args.js';
