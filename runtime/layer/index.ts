// Layer tars: writing (deterministic, gzip, diffID + digest in one pass), reading, safe
// extraction, overlay whiteout conversion and directory diffs. Import from here.
export { encodeHeader, type TarEntry, type TarEntryType } from './tar-header';
export { readTar, type TarReadEntry } from './tar-reader';
export { writeLayer, compressTar, tarStream, decompressed, HashTap, type LayerDigests, type LayerItems, type WriteLayerOptions } from './writer';
export { walkTreeSync, treeItems, treeItemsSync, type LayerItem, type EntryOptions } from './tree';
export { extractTar, cleanEntryPath, type ExtractOptions, type ExtractResult } from './extract';
export { diffUpperDir, diffTrees, compareTarPaths, type Change, type ChangeKind, type LayerDiff } from './diff';
export { HostSpecialFs, noSpecialFs, type SpecialFs, type NodeKind } from './special-fs';
export { classifyWhiteout, whiteoutPath, opaquePath, opaqueXattr, isOverlayWhiteout, type OverlayXattrPrefix } from './whiteout';
