// Human-readable sizes as `docker images` prints them (decimal units), shared by the editor's
// trees and the per-layer preview (browser code imports this too: keep it free of Node APIs).

/** "12.3 MB", "999 B". */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i += 1; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
