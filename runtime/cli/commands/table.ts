// docker's table layout (text/tabwriter with padding 3) and the ps/port text helpers.
import { humanDuration } from '../../container/state';

/** Columns padded to the widest cell plus three spaces; the last column is not padded. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('').trimEnd()).join('\n') + '\n';
}

export interface ListedPort { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }

/** "0.0.0.0:4000->80/tcp, 443/tcp" as docker ps prints the Ports column. */
export function portsText(ports: readonly ListedPort[]): string {
  return ports.map((p) => (p.PublicPort ? `${p.IP ?? '0.0.0.0'}:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`)).join(', ');
}

/** docker ps's COMMAND cell: quoted, cut to 20 characters with an ellipsis. */
export function commandText(command: string, trunc = true): string {
  const c = trunc && command.length > 20 ? `${command.slice(0, 19)}…` : command;
  return `"${c}"`;
}

export function ago(epochSeconds: number, now = Date.now()): string {
  return `${humanDuration(now - epochSeconds * 1000)} ago`;
}
