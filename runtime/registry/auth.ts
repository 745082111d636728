// Registry authentication (distribution's token spec, docs/spec/auth/token.md):
//   1. a request answered 401 carries `WWW-Authenticate: Bearer realm=…,service=…,scope=…`;
//   2. GET realm?service=…&scope=… (with Basic credentials when we have some, anonymous
//      otherwise) answers {"token"|"access_token", "expires_in"}; an identity token from an
//      earlier login is exchanged by POSTing grant_type=refresh_token (the OAuth2 flow);
//   3. the request is sent again with `Authorization: Bearer <token>`.
// A `Basic` challenge is answered with the stored user/password. Tokens are cached per
// registry and scope set until shortly before they expire. No secret is ever put in an error
// message or log line.
import { SlipwayError } from '../errors';
import type { Credentials } from './credentials';
import type { Transport } from './transport';
import { parseChallenges, type Challenge } from './www-authenticate';

/** 401 from a registry or its token server: missing or wrong credentials. */
export class UnauthorizedError extends SlipwayError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, status: 401 });
  }
}

export type CredentialsLookup = (domain: string) => Promise<Credentials | undefined>;

interface CachedToken { header: string; expiresAt: number }

// Tokens without expires_in are valid 60 s per the token spec; renew a little early.
const DEFAULT_TOKEN_SECONDS = 60;
const EARLY_SECONDS = 10;

export class Authenticator {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly basic = new Map<string, string>();
  private readonly creds = new Map<string, Promise<Credentials | undefined>>();
  // Layers fetched at once all meet the same 401: they share one token request.
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly transport: Transport, private readonly lookup: CredentialsLookup = async () => undefined, private readonly now = () => Date.now()) {}

  private credentials(domain: string): Promise<Credentials | undefined> {
    let c = this.creds.get(domain);
    if (!c) {
      c = this.lookup(domain);
      this.creds.set(domain, c);
    }
    return c;
  }

  /** The Authorization header already known for these scopes, if any. */
  cached(domain: string, scopes: readonly string[]): string | undefined {
    const token = this.tokens.get(cacheKey(domain, scopes));
    if (token && token.expiresAt > this.now()) return token.header;
    return this.basic.get(domain);
  }

  /**
   * Answers a 401's challenges; resolves to the Authorization header to retry with. `failed`
   * is the header the refused request carried: when another request has meanwhile obtained a
   * different one for the same scopes, that one is tried rather than asking again.
   */
  async authorize(domain: string, scopes: readonly string[], wwwAuthenticate: string | null, failed?: string): Promise<string> {
    const fresh = this.cached(domain, scopes);
    if (fresh && fresh !== failed) return fresh;
    const challenges = parseChallenges(wwwAuthenticate);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) {
      const key = cacheKey(domain, scopes);
      let pending = this.inflight.get(key);
      if (!pending) {
        pending = this.bearer(domain, scopes, bearer).finally(() => this.inflight.delete(key));
        this.inflight.set(key, pending);
      }
      return pending;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      const creds = await this.credentials(domain);
      if (!creds?.username || creds.password === undefined) throw new UnauthorizedError(`unauthorized: registry ${domain} requires a login (slipway login ${domain})`);
      const header = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      this.basic.set(domain, header);
      return header;
    }
    throw new UnauthorizedError(`unauthorized: registry ${domain} refused the request and offered no supported authentication scheme${wwwAuthenticate ? ` (${wwwAuthenticate.split(/\s/)[0]})` : ''}`);
  }

  private async bearer(domain: string, scopes: readonly string[], challenge: Challenge): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw new UnauthorizedError(`registry ${domain} sent a Bearer challenge without a realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch (cause) {
      throw new UnauthorizedError(`registry ${domain} sent an invalid token realm "${realm}"`, { cause });
    }
    // Our scopes (pull,push for several repositories) plus whatever the registry asked for.
    const wanted = [...new Set([...scopes, ...(challenge.params.scope ? challenge.params.scope.split(' ') : [])])];
    const service = challenge.params.service;
    const creds = await this.credentials(domain);
    let res: Response;
    if (creds?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'slipway', ...(service ? { service } : {}) });
      if (wanted.length) form.set('scope', wanted.join(' '));
      res = await this.transport.fetch(url.toString(), { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    } else {
      if (service) url.searchParams.set('service', service);
      for (const s of wanted) url.searchParams.append('scope', s);
      if (creds?.username) url.searchParams.set('account', creds.username);
      const headers: Record<string, string> = {};
      if (creds?.username && creds.password !== undefined) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      res = await this.transport.fetch(url.toString(), { method: 'GET', headers });
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new UnauthorizedError(creds ? `unauthorized: incorrect username or password for ${domain}` : `unauthorized: registry ${domain} requires a login (slipway login ${domain})`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new UnauthorizedError(`token server ${url.origin}${url.pathname} for ${domain} answered ${res.status}`);
    }
    const body = await res.json().catch(() => ({})) as { token?: string; access_token?: string; expires_in?: number };
    const token = body.access_token || body.token;
    if (!token) throw new UnauthorizedError(`token server ${url.origin}${url.pathname} for ${domain} returned no token`);
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    const header = `Bearer ${token}`;
    this.tokens.set(cacheKey(domain, scopes), { header, expiresAt: this.now() + Math.max(1, seconds - EARLY_SECONDS) * 1000 });
    return header;
  }
}

function cacheKey(domain: string, scopes: readonly string[]): string {
  return `${domain} ${[...scopes].sort().join(' ')}`;
}
