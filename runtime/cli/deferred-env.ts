// Start-up settings that bin/slipway keeps away from the CLI's own Node, handed back here.
//
// Node 20 reads NODE_EXTRA_CA_CERTS and parses every certificate in it during start-up, before
// any JavaScript runs (Node 22 and later wait for the first TLS use). With a full CA bundle
// there (Debian's ca-certificates.crt, as some environments export it, this machine included)
// that is ~50 ms of CPU: more than the whole rest of `slipway run`'s client side. Only `slipway
// login` makes TLS connections in the CLI process; every other command talks to the service
// over its Unix socket. So bin/slipway moves the variable to DEFERRED_CA_CERTS for those
// commands, and the CLI puts it back into its environment first thing: the service it starts
// (which pulls and pushes) and `run -e NODE_EXTRA_CA_CERTS` see the user's value.

/** Where bin/slipway parks NODE_EXTRA_CA_CERTS. */
export const DEFERRED_CA_CERTS = 'SLIPWAY_NODE_EXTRA_CA_CERTS';

/** Puts NODE_EXTRA_CA_CERTS back from its parking place (a value set meanwhile wins). */
export function restoreDeferredEnv(env: NodeJS.ProcessEnv): void {
  const value = env[DEFERRED_CA_CERTS];
  if (value === undefined) return;
  delete env[DEFERRED_CA_CERTS];
  env.NODE_EXTRA_CA_CERTS ??= value;
}
