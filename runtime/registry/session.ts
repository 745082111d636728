// What a pull or push needs to talk to registries: one Transport (connections, proxies,
// insecure list) and one Authenticator (credentials and cached tokens), shared by the clients
// of every repository so a token is fetched once per scope.
import type { Reference } from '../image/reference';
import { Authenticator, type CredentialsLookup } from './auth';
import { RepositoryClient } from './client';
import { Transport, type TransportOptions } from './transport';
import { repositoryScope } from './www-authenticate';

export interface SessionOptions extends TransportOptions {
  /** Where credentials come from (default: none, anonymous). */
  credentials?: CredentialsLookup;
  transport?: Transport;
}

export class RegistrySession {
  readonly transport: Transport;
  readonly auth: Authenticator;
  private readonly ownsTransport: boolean;

  constructor(options: SessionOptions = {}) {
    this.ownsTransport = !options.transport;
    this.transport = options.transport ?? new Transport(options);
    this.auth = new Authenticator(this.transport, options.credentials);
  }

  /** A client for pulling from `ref`'s repository. */
  puller(ref: Reference): RepositoryClient {
    return new RepositoryClient(ref, this.transport, this.auth, ['pull']);
  }

  /** A client for pushing to `ref`'s repository, allowed to mount blobs from `mountFrom` repositories. */
  pusher(ref: Reference, mountFrom: readonly string[] = []): RepositoryClient {
    return new RepositoryClient(ref, this.transport, this.auth, ['pull', 'push'], mountFrom.map((p) => repositoryScope(p, ['pull'])));
  }

  async close(): Promise<void> {
    if (this.ownsTransport) await this.transport.close();
  }
}
