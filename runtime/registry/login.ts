// `login`: check credentials against a registry the way the docker CLI does — GET /v2/, answer
// its challenge with the credentials (Basic, or a token request with no scope), and expect 200.
// Also the X-Registry-Auth header the Engine API carries credentials in: base64url of
// {"username","password","serveraddress","identitytoken"}. Pure apart from the one request.
import { InvalidArgumentError } from '../errors';
import { DEFAULT_DOMAIN } from '../image/reference';
import { UnauthorizedError } from './auth';
import type { Credentials } from './credentials';
import { registryError } from './client';
import type { RegistrySession } from './session';

export interface AuthConfig {
  username?: string;
  password?: string;
  serveraddress?: string;
  identitytoken?: string;
  email?: string;
}

/** "https://index.docker.io/v1/" → "docker.io", "http://localhost:5000/" → "localhost:5000". */
export function registryDomain(serverAddress: string | undefined): string {
  if (!serverAddress) return DEFAULT_DOMAIN;
  const host = serverAddress.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  if (host === '' ) throw new InvalidArgumentError(`invalid registry address "${serverAddress}"`);
  if (host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'docker.io') return DEFAULT_DOMAIN;
  return host;
}

export function encodeAuthHeader(config: AuthConfig): string {
  return Buffer.from(JSON.stringify(config)).toString('base64url');
}

/** Decodes X-Registry-Auth (URL-safe or standard base64, padded or not). Empty → undefined. */
export function decodeAuthHeader(header: string | string[] | undefined): AuthConfig | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || value.trim() === '') return undefined;
  try {
    const json = Buffer.from(value.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url').toString('utf8');
    const parsed = JSON.parse(json) as AuthConfig;
    if (parsed === null || typeof parsed !== 'object') throw new Error('not an object');
    return parsed;
  } catch (cause) {
    throw new InvalidArgumentError('invalid X-Registry-Auth header: expected base64url-encoded JSON', { cause });
  }
}

export function credentialsOf(config: AuthConfig | undefined): Credentials | undefined {
  if (!config) return undefined;
  if (config.identitytoken) return { identityToken: config.identitytoken };
  if (config.username) return { username: config.username, password: config.password ?? '' };
  return undefined;
}

/** Resolves when `session`'s credentials for `domain` are accepted; throws UnauthorizedError otherwise. */
export async function checkLogin(session: RegistrySession, domain: string, signal?: AbortSignal): Promise<void> {
  const url = `${session.transport.baseUrl(domain)}/v2/`;
  let res: Response;
  try {
    res = await session.transport.fetch(url, { method: 'GET', signal });
    if (res.status === 401) {
      await res.body?.cancel();
      const authorization = await session.auth.authorize(domain, [], res.headers.get('www-authenticate'));
      res = await session.transport.fetch(url, { method: 'GET', headers: { authorization }, signal });
    }
  } catch (err) {
    if (err instanceof UnauthorizedError) throw err;
    throw new InvalidArgumentError(`cannot reach registry ${domain} at ${url}`, { cause: err });
  }
  if (res.status === 401) {
    await res.body?.cancel();
    throw new UnauthorizedError(`unauthorized: incorrect username or password for ${domain}`);
  }
  if (!res.ok) throw await registryError(res, `login to ${domain}`, domain);
  await res.body?.cancel();
}
