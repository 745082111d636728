// Which registries are reached over plain HTTP besides loopback: SLIPWAY_INSECURE_REGISTRIES
// ("host:port,host2"), as dockerd's insecure-registries. Kept free of imports so the extension
// (which sets the variable for the service it starts) and /info can read it without bundling
// the registry client.

/** The registries SLIPWAY_INSECURE_REGISTRIES lists (comma- or blank-separated). */
export function insecureFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env.SLIPWAY_INSECURE_REGISTRIES ?? '').split(/[,\s]+/).filter(Boolean);
}
