// How requests reach a registry: undici's fetch (the same engine as Node's global fetch) with
// a dispatcher that honours HTTP_PROXY/HTTPS_PROXY/NO_PROXY, which Node 20's global fetch
// ignores. TLS is verified always; plain HTTP is used only for loopback registries and those
// the user lists as insecure (SLIPWAY_INSECURE_REGISTRIES="host:port,…" or the option), as
// dockerd's "insecure-registries" does. Docker Hub's API lives at registry-1.docker.io.
import type { Dispatcher } from 'undici';
import { DEFAULT_DOMAIN } from '../image/reference';
import { insecureFromEnv } from './insecure';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';

export type FetchLike = (url: string, init: RequestInit & { duplex?: 'half' }) => Promise<Response>;

export interface TransportOptions {
  /** Registries ("host" or "host:port") reached over plain HTTP. */
  insecureRegistries?: readonly string[];
  /** Where proxy variables and SLIPWAY_INSECURE_REGISTRIES are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  retry?: RetryPolicy;
  /** Tests pass a fetch of their own. */
  fetch?: FetchLike;
  userAgent?: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)(?::\d+)?$/i;

export function isLoopbackRegistry(domain: string): boolean {
  return LOOPBACK.test(domain);
}


export class Transport {
  readonly retry: RetryPolicy;
  readonly userAgent: string;
  private readonly insecure: Set<string>;
  private readonly doFetch: FetchLike;
  private dispatcher?: Dispatcher;

  constructor(options: TransportOptions = {}) {
    const env = options.env ?? process.env;
    this.insecure = new Set([...(options.insecureRegistries ?? []), ...insecureFromEnv(env)].map((s) => s.toLowerCase()));
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.userAgent = options.userAgent ?? 'slipway/0.1 (registry client)';
    if (options.fetch) {
      this.doFetch = options.fetch;
    } else {
      // undici is loaded on the first request: CLI commands that never reach a registry
      // (most of them share this bundle) do not pay for initialising it.
      let loaded: Promise<FetchLike> | undefined;
      const load = async (): Promise<FetchLike> => {
        const undici = await import('undici');
        const proxy = (name: string) => env[name] ?? env[name.toLowerCase()];
        const dispatcher = new undici.EnvHttpProxyAgent({
          httpProxy: proxy('HTTP_PROXY'), httpsProxy: proxy('HTTPS_PROXY'), noProxy: proxy('NO_PROXY'),
          connections: 16,
        });
        this.dispatcher = dispatcher;
        return (url, init) => undici.fetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
      };
      this.doFetch = async (url, init) => (await (loaded ??= load()))(url, init);
    }
  }

  /** "https://registry-1.docker.io", "http://127.0.0.1:5000". */
  baseUrl(domain: string): string {
    const host = domain === DEFAULT_DOMAIN ? 'registry-1.docker.io' : domain;
    const plain = isLoopbackRegistry(domain) || this.insecure.has(domain.toLowerCase()) || this.insecure.has(domain.replace(/:\d+$/, '').toLowerCase());
    return `${plain ? 'http' : 'https'}://${host}`;
  }

  fetch(url: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has('user-agent')) headers.set('user-agent', this.userAgent);
    return this.doFetch(url, { ...init, headers });
  }

  async close(): Promise<void> {
    await this.dispatcher?.close();
  }
}
