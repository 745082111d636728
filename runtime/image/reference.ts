// Docker image references: the grammar of github.com/distribution/reference and Docker's
// normalisation (`busybox` → `docker.io/library/busybox:latest`). Pure functions.
//
//   reference  := name [ ":" tag ] [ "@" digest ]
//   name       := [domain "/"] path-component ("/" path-component)*
//   domain     := host [":" port]        (a first component with "." or ":", or "localhost")
//   tag        := [\w][\w.-]{0,127}
//   digest     := algorithm ":" hex      (sha256 needs exactly 64 lower-case hex digits)
import { InvalidArgumentError } from '../errors';

export const DEFAULT_DOMAIN = 'docker.io';
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
export const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_NAME = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const SHA256_HEX = /^[a-f0-9]{64}$/;
const NAME_MAX = 255;

/** A fully normalised reference: domain and path always present. */
export interface Reference {
  /** "docker.io", "localhost:5000", "registry.example.com". */
  domain: string;
  /** Repository path inside the domain: "library/busybox", "a/b". */
  path: string;
  tag?: string;
  /** "sha256:<64 hex>". */
  digest?: string;
}

/** A reference's repository name: "docker.io/library/busybox". */
export function repositoryName(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The canonical string: "docker.io/library/busybox:latest", "localhost:5000/x@sha256:…". */
export function formatReference(ref: Reference): string {
  return repositoryName(ref) + (ref.tag ? `:${ref.tag}` : '') + (ref.digest ? `@${ref.digest}` : '');
}

/** The short name people type: "busybox:latest", "user/app:1", "localhost:5000/x:y". */
export function familiarName(ref: Reference): string {
  return familiarRepository(ref) + (ref.tag ? `:${ref.tag}` : '') + (ref.digest ? `@${ref.digest}` : '');
}

/** "busybox", "user/app", "localhost:5000/x". */
export function familiarRepository(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryName(ref);
  return ref.path.startsWith(OFFICIAL_REPO_PREFIX) && !ref.path.slice(OFFICIAL_REPO_PREFIX.length).includes('/')
    ? ref.path.slice(OFFICIAL_REPO_PREFIX.length)
    : ref.path;
}

/**
 * Parses and normalises a reference as `docker pull` does. Without tag or digest the tag is
 * "latest" (set `defaultTag: false` to keep it absent, e.g. for `docker images busybox`).
 */
export function parseReference(input: string, options: { defaultTag?: boolean } = {}): Reference {
  const fail = (why: string): never => {
    throw new InvalidArgumentError(`invalid reference format "${input}": ${why}`);
  };
  if (input === '') fail('empty reference');
  if (SHA256_HEX.test(input)) fail('cannot specify 64-byte hexadecimal strings');
  if (/\s/.test(input)) fail('whitespace is not allowed');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail(`invalid digest "${digest}"`);
    if (digest.startsWith('sha256:') && !SHA256_HEX.test(digest.slice(7))) fail(`sha256 digest "${digest}" must have 64 lower-case hex digits`);
  }
  // A tag follows the last ":" that is after the last "/" (so "host:5000/x" has no tag).
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail(`invalid tag "${tag}"`);
  }
  if (rest === '') fail('missing repository name');
  if (rest.length > NAME_MAX) fail(`repository name must not be longer than ${NAME_MAX} characters`);

  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
      checkDomain(domain, fail);
    }
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (path !== path.toLowerCase()) fail('repository name must be lowercase');
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) fail(`invalid repository path component "${component}"`);
  }
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;
  if (tag === undefined && digest === undefined && options.defaultTag !== false) tag = DEFAULT_TAG;
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

function checkDomain(domain: string, fail: (why: string) => never): void {
  let host = domain;
  const m = /^(.*):([^\]:]*)$/.exec(domain);
  if (m && !domain.endsWith(']')) {
    host = m[1];
    if (!PORT.test(m[2])) fail(`invalid port in registry "${domain}"`);
  }
  if (!DOMAIN_NAME.test(host) && !IPV6_HOST.test(host)) fail(`invalid registry host "${domain}"`);
}

/** Normalises and formats in one step: "busybox" → "docker.io/library/busybox:latest". */
export function normalizeReference(input: string): string {
  return formatReference(parseReference(input));
}

/** True when `input` parses as a reference (no throw). */
export function isReference(input: string): boolean {
  try {
    parseReference(input);
    return true;
  } catch {
    return false;
  }
}
