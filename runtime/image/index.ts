// The image store's public API, for the service routes, the CLI, the builder, the container
// runtime and the registry client. Import from here rather than from the files behind it.
export { ImageStore, descriptorName, checkTagName, type ImageRecord, type PutImageInput, type RemoveReport } from './store';
export { BlobStore, BlobWriter, DigestMismatchError, type BlobInfo, type ExpectedBlob } from './blobs';
export { LayerStore, shortId, type LayerRecord, type LowerDirs } from './layers';
export { collectGarbage, pruneImages, diskUsage, imageHistory, type GcResult, type DiskUsage, type ImageUsage, type HistoryItem, type PruneOptions } from './gc';
export { importRootfs, exportTree, commitUpperDir, type ImportOptions, type CommitOptions } from './import';
export { saveImages, selectImages, type ArchiveFormat } from './archive';
export { loadArchive, type LoadResult } from './load';
export { applyChanges, CHANGE_COMMANDS } from './changes';
export { imageLayerChanges, type LayerChanges } from './layer-changes';
export { parseReference, formatReference, familiarName, familiarRepository, normalizeReference, repositoryName, type Reference } from './reference';
export * from './types';
