// Go's time.Duration.String(), which Docker prints wherever a duration reaches the user: the
// HEALTHCHECK line of `docker history` (BuildKit's %+v of the config) and the health probe's
// "Health check exceeded timeout (30s)" message (daemon/health.go).

/** Go's time.Duration.String() of `ns` nanoseconds: "0s", "500ns", "1.5µs", "500ms", "1.5s", "5m0s", "1h2m3.5s". */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  // Go prints the fraction with as many digits as it needs, none when it is whole.
  const frac = (v: number, unit: number): string => String(v / unit).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${frac(n, 1e3)}µs`;
  if (n < 1e9) return `${sign}${frac(n, 1e6)}ms`;
  let out = '';
  const h = Math.floor(n / 3600e9); n -= h * 3600e9;
  const m = Math.floor(n / 60e9); n -= m * 60e9;
  if (h > 0) out += `${h}h`;
  if (h > 0 || m > 0) out += `${m}m`;
  return `${sign}${out}${frac(n, 1e9)}s`;
}
