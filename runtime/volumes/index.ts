// Public surface of volumes.
export { VolumeStore, ANONYMOUS_LABEL, type Volume, type CreateVolumeRequest, type VolumeStoreOptions } from './store';
export { copyMerged, type MergedCopyOptions } from './copy';
