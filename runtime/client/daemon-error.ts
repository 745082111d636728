// Which errors are the service's answers rather than local failures: the CLI prints those as
// the docker CLI does ("Error response from daemon: …"). A registered symbol, not a module's
// WeakSet: the CLI's entry bundle and each lazily loaded command bundle have their own copy of
// this module, and the mark must be seen across them. Free of imports, so the small entry
// bundle can ask without loading the HTTP client.
const DAEMON = Symbol.for('slipway.daemonError');

/** Marks `err` as built from a non-2xx answer of the service; returns it. */
export function markDaemonError<E extends object>(err: E): E {
  Object.defineProperty(err, DAEMON, { value: true, enumerable: false });
  return err;
}

export function isDaemonError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[DAEMON] === true;
}
