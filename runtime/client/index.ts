// The service client: import from here (the CLI and the extension do).
export { ApiClient, ServiceUnavailableError, buildPath, errorFromResponse, ndjson, readAll } from './client';
export type { ClientOptions, RequestOptions } from './client';
export { ensureService, stopService, serviceOutputPath } from './ensure';
export type { EnsureOptions, EnsureResult, StopResult } from './ensure';
export { envRecord, localImageEnv, localImageEnvs } from './image-env';
export type { ImageEnv } from './image-env';
export { idPath, imagePath } from './paths';
export { isDaemonError, markDaemonError } from './daemon-error';
