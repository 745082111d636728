// The one error convention of the runtime (see ARCHITECTURE.md, "Errors").
//
// - Every error that reaches a user is a SlipwayError with a lower-case message that names the
//   thing at fault (path, reference, flag, container), and an HTTP status that the API layer
//   sends as Docker does: {"message": "..."} with 400, 404, 409 or 500.
// - A lower-level failure is kept as `cause` (errno, syscall, arguments) rather than pasted
//   into the message.
// - Dockerfile errors also carry the file and the 0-based line/character range, so the editor
//   can show them as diagnostics and the CLI as "Dockerfile:12".

export type HttpStatus = 304 | 400 | 401 | 403 | 404 | 409 | 500 | 501 | 503;

export class SlipwayError extends Error {
  readonly status: HttpStatus;
  constructor(message: string, options: { status?: HttpStatus; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 500;
  }
}

/** Bad flags, bad references, bad JSON: the caller must change the request. */
export class InvalidArgumentError extends SlipwayError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, status: 400 });
  }
}

/** "no such container: web", "no such image: busybox:latest". */
export class NotFoundError extends SlipwayError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, status: 404 });
  }
}

/** The request is valid but the state forbids it: name in use, container not running. */
export class ConflictError extends SlipwayError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, status: 409 });
  }
}

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

/** An error located in a Dockerfile; `range` is 0-based like the editor's. */
export class DockerfileError extends InvalidArgumentError {
  constructor(
    message: string,
    readonly file: string,
    readonly range: Range,
    options: { cause?: unknown } = {},
  ) {
    super(`${file}:${range.start.line + 1}: ${message}`, options);
  }
}

/** The HTTP status for any thrown value: SlipwayError's own, 500 for everything else. */
export function statusOf(err: unknown): HttpStatus {
  return err instanceof SlipwayError ? err.status : 500;
}

/** A message for any thrown value, with the chain of causes joined by ": ". */
export function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && parts.length < 8; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? e.message : String(e));
    if (!(e instanceof Error)) break;
  }
  return parts.join(': ');
}
