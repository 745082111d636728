// Public surface of container state: records on disk, lookup, ps filters, Docker JSON, re-adoption.
export * from './record';
export { ContainerStore } from './store';
export { generateId, generateName, normalizeName, CONTAINER_NAME } from './ids';
export { parseFilters, listContainers, type Filters, type ListOptions } from './filters';
export { inspectJson, listJson, statusText, humanDuration } from './docker-json';
export { readPidStartTime, isSameProcess, reconcileState, UNKNOWN_EXIT_CODE, OOM_EXIT_CODE } from './adopt';
