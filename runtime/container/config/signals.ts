// Signal names and numbers as `docker kill -s` and STOPSIGNAL accept them: "SIGTERM", "TERM",
// "term", "15" (moby's signal.ParseSignal). Numbers are Linux x86_64/aarch64 (they agree here).
import os from 'node:os';
import { InvalidArgumentError } from '../../errors';

const SIGNALS = os.constants.signals as Record<string, number>;

/** → { name: "SIGTERM", number: 15 }; unknown → "Invalid signal: X" (Docker's wording). */
export function parseSignal(raw: string): { name: NodeJS.Signals; number: number } {
  const s = raw.trim();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    const name = Object.keys(SIGNALS).find((k) => SIGNALS[k] === n);
    if (!name || n === 0) throw new InvalidArgumentError(`Invalid signal: ${raw}`);
    return { name: name as NodeJS.Signals, number: n };
  }
  const upper = s.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  if (!(name in SIGNALS)) throw new InvalidArgumentError(`Invalid signal: ${raw}`);
  return { name: name as NodeJS.Signals, number: SIGNALS[name] };
}
