// The ServiceEndpoint the connection uses, on top of runtime/client: find-or-start through
// ensureService, GET /version, the GET /events ndjson stream, and stop through the state lock.
import { ApiClient, ensureService, stopService } from '../../runtime/client';
import type { ServiceEndpoint, ServiceEvent, VersionBody } from './connection';
import type { ServiceLocation } from './location';
import { withInsecureRegistries } from './registries';

/**
 * The service's environment: the extension host's own, without the host's VSCODE_* variables
 * (IPC hooks, NLS config, the extension host's PID): the service is a long-lived process of
 * its own and must not look like a piece of this window.
 */
export function serviceEnvironment(env: NodeJS.ProcessEnv, settings: ServiceStartSettings = {}): NodeJS.ProcessEnv {
  const own = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('VSCODE_')));
  return withInsecureRegistries(own, settings.insecureRegistries ?? []);
}

/** Settings the service takes when the extension starts it (read at each start). */
export interface ServiceStartSettings {
  /** `slipway.insecureRegistries`, validated (extension/service/registries.ts). */
  insecureRegistries?: readonly string[];
}

export class ClientEndpoint implements ServiceEndpoint {
  readonly client: ApiClient;

  constructor(
    private readonly location: ServiceLocation,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly settings: () => ServiceStartSettings = () => ({}),
  ) {
    this.client = new ApiClient({ socketPath: location.socketPath });
  }

  async ensure(): Promise<void> {
    // The service runs on the Node that runs us: the extension host's executable (ensureService
    // sets ELECTRON_RUN_AS_NODE=1 for desktop VS Code), or the remote server's node.
    await ensureService({ ...this.location, env: serviceEnvironment(this.env, this.settings()), execPath: process.execPath });
  }

  version(signal: AbortSignal): Promise<VersionBody> {
    return this.client.get<VersionBody>('/version', { signal });
  }

  async events(onEvent: (event: ServiceEvent) => void, signal: AbortSignal): Promise<void> {
    for await (const event of this.client.stream<ServiceEvent>('GET', '/events', { signal })) onEvent(event);
  }

  async stop(): Promise<void> {
    await stopService({ stateRoot: this.location.stateRoot });
  }

  dispose(): void {
    this.client.close();
  }
}
