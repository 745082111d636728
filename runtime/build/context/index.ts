// The build context: .dockerignore, source selection inside a root, ADD archive detection.
export { IgnoreMatcher, readIgnoreFile, compilePattern, goClean } from './ignore.js';
export { loadIgnore, selectSource, cleanSource, parentsPivot, resolveInRoot, walk, type ContextEntry, type SourceMatch, type SelectOptions } from './walk.js';
export { selectCopySources, type CopySelection } from './select.js';
export { detectCompression, isTarHeader, type Compression } from './archive.js';
