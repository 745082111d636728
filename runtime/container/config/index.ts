// Public surface of the container config layer: Docker options → validated record → RuntimeSpec.
export * from './types';
export { mergeCreateRequest, mergeCommand, mergeEnv, parseNetworkMode, checkRestartPolicy, type MergeContext } from './merge';
export { buildRuntimeSpec, containerEnv, toResources, toRlimits, DOCKER_INIT_PATH, type SpecInput } from './runtime-spec';
export { planMounts, parseApiMount, parseBind, parseTmpfs, toMountSpecs, toDockerMounts, VOLUME_NAME, type ApiMount, type MountRequest, type ResolvedMount, type DockerMountPoint } from './mounts';
export { resolveUser, readUserFiles, withGroupAdd, type ResolvedUser } from './user';
export { parseCapabilityMask, tweakCapabilities } from './capabilities';
export { parseSignal } from './signals';
export { portMappings, networkSettingsPorts, listPorts, type PortMapping } from './ports';
export * from './flags';
export * from './defaults';
export { buildExecProcess, checkExecRequest, type ExecRequest } from './exec';
export { checkWorkingDir } from './workdir';
