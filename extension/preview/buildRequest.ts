// What a build from the editor asks POST /slipway/build for, and how it ended (pure: no vscode,
// unit-tested): the query, the default tag from the folder name, the tag check.
import path from 'node:path';
import type { Range } from '../../runtime/errors';

export interface BuildRequest {
  /** Absolute path of the context directory (the service reads it itself, on the same host). */
  contextDir: string;
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  tag?: string;
  target?: string;
  noCache?: boolean;
  buildArgs?: Record<string, string>;
}

export type BuildOutcome =
  | { ok: true; imageId: string; tags: string[]; durationMs: number }
  | { ok: false; message: string; dockerfile: string; range?: Range; cancelled?: boolean };

/** The query of POST /slipway/build for a request (pure; unit-tested). */
export function buildQuery(req: BuildRequest): Record<string, string | undefined> {
  const rel = path.relative(req.contextDir, req.dockerfile);
  return {
    // Docker's `dockerfile` is relative to the context; one outside it is passed as is.
    dockerfile: rel.startsWith('..') || path.isAbsolute(rel) ? req.dockerfile : rel.split(path.sep).join('/'),
    t: req.tag || undefined,
    target: req.target || undefined,
    nocache: req.noCache ? '1' : undefined,
    buildargs: req.buildArgs && Object.keys(req.buildArgs).length > 0 ? JSON.stringify(req.buildArgs) : undefined,
  };
}

/** "my-app:latest" from a folder name: lower-case, only the characters a repository allows. */
export function defaultTag(contextDir: string): string {
  const name = path.basename(contextDir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return `${name || 'image'}:latest`;
}

/** Docker's reference grammar, simplified: [registry[:port]/]name[:tag]. undefined = valid. */
export function validateTag(tag: string): string | undefined {
  if (tag.trim() === '') return 'a tag is required, e.g. my-app:latest';
  const re = /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?$/;
  return re.test(tag) ? undefined : `"${tag}" is not a valid image reference (lower-case name, optional :tag)`;
}
