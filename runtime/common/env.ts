// Environment lists as images and containers carry them (Config.Env: ["PATH=/usr/bin", "A=1"]).
// Browser-safe and pure: the build plan, the lint rules' base-image environments and the client
// read them through this one function.

/**
 * `NAME=value` entries as a map: the first "=" splits (a value may hold more), a bare `NAME`
 * is an empty value, and a later entry of a name wins while keeping the first one's place.
 * "=x" gives the name "" (BuildKit's parseKeyValue does the same); callers that look names up
 * never ask for it.
 */
export function envListToMap(list: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of list) {
    const eq = kv.indexOf('=');
    if (eq < 0) m.set(kv, ''); else m.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return m;
}
