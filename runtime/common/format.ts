// Human-readable sizes. `humanSize`/`humanSizeWithPrecision` are docker's go-units functions
// (what `docker images`, `ps -s`, `history`, `system df`, the NET/BLOCK I/O columns of `stats`
// print); `formatSize` is the editor's roomier form for trees and the per-layer preview.
// Browser code imports this too: keep it free of Node APIs.

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/**
 * Go's `%.<p>g`: p significant digits, trailing zeros dropped, and exponent form when the
 * exponent is < -4 or >= p ("1e+03", which docker really prints for 999.9kB at 3 digits).
 */
export function goFormatG(value: number, precision: number): string {
  if (value === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(precision)))));
  const strip = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  if (exp < -4 || exp >= precision) {
    const [mantissa, e] = value.toExponential(precision - 1).split('e');
    const n = Number(e);
    return `${strip(mantissa)}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return strip(value.toFixed(Math.max(0, precision - 1 - exp)));
}

/** go-units HumanSizeWithPrecision: decimal units, `precision` significant digits ("4.21MB"). */
export function humanSizeWithPrecision(bytes: number, precision: number): string {
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < DECIMAL.length - 1) { v /= 1000; i += 1; }
  return `${goFormatG(v, precision)}${DECIMAL[i]}`;
}

/** go-units HumanSize: 4 significant digits ("16.43MB", "5kB", "0B"). */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 4);
}

/** "12.3 MB", "999 B": decimal units as docker uses, spaced for the editor's trees. */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i += 1; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
