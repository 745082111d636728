// One repository of one registry, spoken to over the distribution API
// (/work/shared/specs/opencontainers__distribution-spec/spec.md):
//   GET/HEAD /v2/<name>/manifests/<ref>     PUT  /v2/<name>/manifests/<ref>
//   GET/HEAD /v2/<name>/blobs/<digest>      POST /v2/<name>/blobs/uploads/[?mount=&from=]
//   PATCH <location> (chunk)                PUT  <location>?digest=<digest>
// Every request goes through `send`: the cached Authorization is added, a 401 is answered
// through the Authenticator and the request sent once more, 5xx/connection errors are retried
// with backoff. Registry error bodies ({"errors":[{code,message}]}) become the runtime's errors.
import { createHash } from 'node:crypto';
import { NotFoundError, SlipwayError, InvalidArgumentError } from '../errors';
import { familiarName, type Reference } from '../image/reference';
import { MediaType } from '../image/types';
import { Authenticator, UnauthorizedError } from './auth';
import { RetryableStatus, isRetryableStatus, parseRetryAfter, withRetry } from './retry';
import type { Transport } from './transport';
import { repositoryScope } from './www-authenticate';

/** Every manifest type we can read, in the Accept header of manifest requests. */
export const MANIFEST_ACCEPT = [MediaType.ociIndex, MediaType.dockerManifestList, MediaType.ociManifest, MediaType.dockerManifest].join(', ');

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

type Body = Buffer | string | URLSearchParams | undefined;

export interface SendOptions {
  headers?: Record<string, string>;
  /** Made anew for each try, so a retried request sends its body again. */
  body?: () => Body;
  signal?: AbortSignal;
  /** Statuses returned to the caller rather than turned into errors. */
  accept?: readonly number[];
  /** Names the request in errors ("manifest localhost:5000/x:1"). */
  what: string;
}

export class RepositoryClient {
  readonly base: string;
  private readonly scopes: string[];

  constructor(
    readonly ref: Reference,
    private readonly transport: Transport,
    private readonly auth: Authenticator,
    /** "pull" or "pull,push"; `extraScopes` for cross-repository mounts. */
    actions: readonly string[] = ['pull'],
    extraScopes: readonly string[] = [],
  ) {
    this.base = `${transport.baseUrl(ref.domain)}/v2/${ref.path}`;
    this.scopes = [repositoryScope(ref.path, actions), ...extraScopes];
  }

  get domain(): string { return this.ref.domain; }

  /** Sends one request with auth and retries; resolves with a response whose status the caller accepted. */
  async send(method: string, url: string, options: SendOptions): Promise<Response> {
    const accept = options.accept ?? [200];
    return withRetry(async () => {
      let authorization = this.auth.cached(this.ref.domain, this.scopes);
      for (let round = 0; ; round++) {
        const headers: Record<string, string> = { ...options.headers };
        if (authorization) headers.authorization = authorization;
        const body = options.body?.();
        const res = await this.transport.fetch(url, { method, headers, body: body as BodyInit | undefined, signal: options.signal, redirect: 'follow' });
        if (res.status === 401 && round === 0) {
          await res.body?.cancel();
          authorization = await this.auth.authorize(this.ref.domain, this.scopes, res.headers.get('www-authenticate'), authorization);
          continue;
        }
        if (accept.includes(res.status)) return res;
        if (isRetryableStatus(res.status)) {
          await res.body?.cancel();
          throw new RetryableStatus(res.status, parseRetryAfter(res.headers.get('retry-after')), options.what);
        }
        throw await registryError(res, options.what, this.ref.domain);
      }
    }, { policy: this.transport.retry, signal: options.signal }).catch((err: unknown) => {
      if (err instanceof RetryableStatus) throw new SlipwayError(`${options.what}: registry ${this.ref.domain} answered ${err.status} after ${this.transport.retry.attempts} tries`, { status: 503 });
      if (err instanceof SlipwayError || (err as Error).name === 'AbortError') throw err;
      throw new SlipwayError(`${options.what}: cannot reach registry ${this.ref.domain}`, { cause: err, status: 503 });
    });
  }

  /** GET a manifest by tag or digest; checks the digest of what arrived when asked by digest. */
  async manifest(reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const what = `${familiarName(this.ref.digest || this.ref.tag ? this.ref : { ...this.ref, tag: reference })}`;
    const res = await this.send('GET', `${this.base}/manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT }, signal, what: `manifest ${what}` });
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (reference.startsWith('sha256:') && reference !== digest) {
      throw new InvalidArgumentError(`manifest ${what} failed verification: expected ${reference}, got ${digest}`);
    }
    const header = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    let mediaType = header;
    if (mediaType === '' || mediaType === 'application/json' || mediaType === 'text/plain' || mediaType === 'application/octet-stream') {
      // Some registries answer application/json; the manifest's own mediaType then decides.
      try {
        const own = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string; manifests?: unknown }).mediaType;
        mediaType = own ?? ((JSON.parse(bytes.toString('utf8')) as { manifests?: unknown }).manifests ? MediaType.ociIndex : MediaType.ociManifest);
      } catch {
        throw new InvalidArgumentError(`manifest ${what} has unsupported media type "${header}" and is not JSON`);
      }
    }
    return { mediaType, digest, bytes };
  }

  /** Size of a blob in this repository, or undefined when the registry does not have it here. */
  async blobSize(digest: string, signal?: AbortSignal): Promise<number | undefined> {
    const res = await this.send('HEAD', `${this.base}/blobs/${digest}`, { accept: [200, 404], signal, what: `blob ${digest}` });
    await res.body?.cancel();
    if (res.status === 404) return undefined;
    return Number(res.headers.get('content-length') ?? 0);
  }

  /** GET a blob from byte `start` (Range). `partial` says whether the registry honoured the range. */
  async blob(digest: string, start: number, signal?: AbortSignal): Promise<{ res: Response; partial: boolean }> {
    const headers: Record<string, string> = start > 0 ? { range: `bytes=${start}-` } : {};
    const res = await this.send('GET', `${this.base}/blobs/${digest}`, { headers, accept: [200, 206], signal, what: `blob ${digest}` });
    return { res, partial: res.status === 206 };
  }

  /**
   * Starts an upload. With `mountFrom` the registry may link the blob from that repository:
   * then it answers 201 and nothing needs sending (`mounted: true`).
   */
  async startUpload(digest: string, mountFrom?: string, signal?: AbortSignal): Promise<{ mounted: true } | { mounted: false; location: string }> {
    const query = mountFrom ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom)}` : '';
    const url = `${this.base}/blobs/uploads/${query}`;
    const res = await this.send('POST', url, { accept: [201, 202], signal, what: `upload of blob ${digest}`, body: () => '' , headers: { 'content-length': '0' } });
    await res.body?.cancel();
    if (res.status === 201) return { mounted: true };
    return { mounted: false, location: uploadLocation(res, url, digest) };
  }

  /** Sends one chunk (PATCH with Content-Range); resolves to the next location. */
  async patchChunk(location: string, chunk: Buffer, offset: number, digest: string, signal?: AbortSignal): Promise<string> {
    const res = await this.send('PATCH', location, {
      accept: [202], signal, what: `upload of blob ${digest}`, body: () => chunk,
      headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${offset + chunk.length - 1}` },
    });
    await res.body?.cancel();
    return uploadLocation(res, location, digest);
  }

  /** Completes an upload (PUT ?digest=), with the last bytes (the whole blob: monolithic). */
  async finishUpload(location: string, digest: string, bytes: Buffer | undefined, signal?: AbortSignal): Promise<void> {
    const url = new URL(location);
    url.searchParams.set('digest', digest);
    const res = await this.send('PUT', url.toString(), {
      accept: [201, 204], signal, what: `upload of blob ${digest}`, body: () => bytes ?? '',
      headers: { 'content-type': 'application/octet-stream' },
    });
    await res.body?.cancel();
  }

  /** PUT a manifest under a tag or its digest. */
  async putManifest(reference: string, mediaType: string, bytes: Buffer, signal?: AbortSignal): Promise<void> {
    const res = await this.send('PUT', `${this.base}/manifests/${reference}`, {
      accept: [201, 204], signal, what: `manifest ${familiarName({ ...this.ref, tag: reference.startsWith('sha256:') ? undefined : reference, digest: reference.startsWith('sha256:') ? reference : undefined })}`,
      body: () => bytes, headers: { 'content-type': mediaType },
    });
    await res.body?.cancel();
  }

  /** GET /v2/ with this repository's scopes: checks that the credentials work (login). */
  async ping(signal?: AbortSignal): Promise<void> {
    const res = await this.send('GET', `${this.transport.baseUrl(this.ref.domain)}/v2/`, { accept: [200], signal, what: `registry ${this.ref.domain}` });
    await res.body?.cancel();
  }
}

function uploadLocation(res: Response, requestUrl: string, digest: string): string {
  const location = res.headers.get('location');
  if (!location) throw new SlipwayError(`upload of blob ${digest}: the registry sent no Location`);
  return new URL(location, requestUrl).toString();
}

interface RegistryErrorBody { errors?: Array<{ code?: string; message?: string }> }

/** The runtime's error for a registry's failure answer, named after what was asked. */
export async function registryError(res: Response, what: string, domain: string): Promise<SlipwayError> {
  const text = await res.text().catch(() => '');
  let first: { code?: string; message?: string } | undefined;
  try {
    first = (JSON.parse(text) as RegistryErrorBody).errors?.[0];
  } catch { /* not JSON */ }
  const code = first?.code ?? '';
  const detail = first?.message ? `: ${first.message}` : '';
  if (res.status === 404 || code === 'MANIFEST_UNKNOWN' || code === 'NAME_UNKNOWN' || code === 'BLOB_UNKNOWN') {
    const kind = code === 'NAME_UNKNOWN' ? 'repository name not known to registry' : code === 'BLOB_UNKNOWN' ? 'blob unknown' : 'manifest unknown';
    return new NotFoundError(`${kind}: ${what} not found in ${domain}`);
  }
  if (res.status === 401) return new UnauthorizedError(`unauthorized: ${what} in ${domain}${detail} (log in with: slipway login ${domain})`);
  if (res.status === 403 || code === 'DENIED') return new SlipwayError(`denied: ${what} in ${domain}${detail}`, { status: 403 });
  if (res.status === 400 || res.status === 415) return new InvalidArgumentError(`${what}: registry ${domain} rejected it (${code || res.status})${detail}`);
  return new SlipwayError(`${what}: registry ${domain} answered ${res.status}${code ? ` ${code}` : ''}${detail}`);
}
