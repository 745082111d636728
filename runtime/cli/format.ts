// Output helpers shared by the commands: docker's key/value layout, byte sizes, and the small
// subset of Go templates people pass to `--format` ({{json .}}, {{.Server.Version}}).
import { InvalidArgumentError } from '../errors';

// Decimal sizes (docker's units.HumanSize*), shared with the editor.
export { humanSize, humanSizeWithPrecision } from '../common/format';

/** Docker's units.BytesSize: binary units with up to 4 significant digits ("23.54GiB"). */
export function bytesSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${Number(n.toPrecision(4))}${units[i]}`;
}

/** Lines of " Key:  value" with values aligned at `width`, prefixed by `indent`. */
export function keyValues(rows: Array<[string, unknown]>, indent = ' ', width = 18): string {
  return rows.filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${indent}${`${k}:`.padEnd(width)}${v === '' ? '' : ' '}${String(v)}`.trimEnd())
    .join('\n');
}

/**
 * Renders `--format`: "json" or "{{json .}}" for the whole value, and templates whose
 * actions are field paths ("{{.Server.Version}}") or json of a path ("{{json .Server}}").
 * Anything else in braces is rejected rather than printed wrong.
 */
export function renderFormat(format: string, value: unknown): string {
  if (format === 'json') return JSON.stringify(value);
  return format.replace(/\{\{\s*(json\s+)?(\.[A-Za-z0-9_.]*)\s*\}\}/g, (_, json: string | undefined, path: string) => {
    const v = lookup(value, path);
    if (json) return JSON.stringify(v ?? null);
    if (v === undefined || v === null) return '<no value>';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }).replace(/\{\{.*?\}\}/g, (action) => {
    throw new InvalidArgumentError(`unsupported template action ${action} in --format (supported: {{.Field.Path}}, {{json .Path}}, json)`);
  }).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
}

function lookup(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.').filter(Boolean)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
