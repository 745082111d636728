// The builder's executor: runs build plans into images (see executor.ts).
export { Builder, BuildFailedError, layerSummary, type BuildRequest, type BuilderDeps, type BuildResult } from './executor';
export { BuildCache, type CacheEntry, type CachedLayer } from './cache';
export { sweepBuildDirs } from './mounts';
export { applyChmod, resolveChown, archiveKind } from './copy';
export { runSpec, readFromLayers } from './run';
