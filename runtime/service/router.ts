// The route table and its matcher. Routes are data:
//   { method: 'POST', path: '/containers/{id}/start', handler }
// `{name}` matches one path segment; `{name*}` matches one or more (image names contain "/",
// as in `/images/library/busybox:latest/json`, which moby routes with `{name:.*}`).
// Paths may carry Docker's `/vX.Y` prefix; the matcher strips it and negotiates the version.
// Matching is pure; the transport that answers requests lives in server.ts and call.ts.
import { NotFoundError } from '../errors';
import { negotiateApiVersion } from './api-version';
import type { Call } from './call';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/**
 * A handler answers through `call` (reply, stream, hijack). If it returns a value without
 * answering, the value is sent as 200 JSON; if it returns nothing, 204 No Content.
 */
export type Handler = (call: Call) => unknown;

export interface Route {
  method: Method;
  path: string;
  handler: Handler;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
  apiVersion: string;
  /** The path without its version prefix. */
  path: string;
}

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

const VERSION_PREFIX = /^\/v(\d+\.\d+)(\/.*)$/;

/** Docker's 404 body for a path no route knows. */
export const PAGE_NOT_FOUND = 'page not found';

export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    const seen = new Set<string>();
    this.compiled = routes.map((route) => {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) throw new Error(`duplicate route: ${key}`);
      seen.add(key);
      return compile(route);
    });
  }

  /**
   * Finds the route for a request. Throws NotFoundError("page not found") for an unknown path
   * or method and Docker's 400 for an unsupported API version.
   */
  match(method: string, rawPath: string): Match {
    const prefixed = VERSION_PREFIX.exec(rawPath);
    const path = prefixed ? prefixed[2] : rawPath;
    for (const c of this.compiled) {
      if (c.route.method !== method) continue;
      const m = c.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => { params[name] = decodeSegment(m[i + 1]); });
      // Negotiate only once the route is known, as moby does: an unknown path is a 404
      // whatever its version.
      return { route: c.route, params, apiVersion: negotiateApiVersion(prefixed?.[1]), path };
    }
    throw new NotFoundError(PAGE_NOT_FOUND);
  }
}

function compile(route: Route): Compiled {
  if (!route.path.startsWith('/')) throw new Error(`route path must start with "/": ${route.path}`);
  const names: string[] = [];
  const source = route.path.split('/').map((segment) => {
    const param = /^\{([A-Za-z_][A-Za-z0-9_]*)(\*?)\}$/.exec(segment);
    if (!param) {
      if (segment.includes('{') || segment.includes('}')) throw new Error(`bad route segment "${segment}" in ${route.path}`);
      return escapeRegExp(segment);
    }
    names.push(param[1]);
    return param[2] === '*' ? '(.+)' : '([^/]+)';
  }).join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), names };
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // a stray "%" is kept as typed, like Go's mux does with unescapable paths
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
