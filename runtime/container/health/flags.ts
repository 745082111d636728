// `run`/`create` --health-* flags → Config.Healthcheck, as the docker CLI builds it
// (cli/command/container/opts.go): any --health-* setting gives a config (the command as
// CMD-SHELL; without --health-cmd the image's test is kept by the daemon's merge);
// --no-healthcheck gives Test ["NONE"] and cannot be combined with them. Durations are Go's.
import { InvalidArgumentError } from '../../errors';
import { parseGoDuration } from '../../dockerfile/instructions';
import { flagError } from '../config/flags';
import type { HealthConfig } from './schedule';

export interface HealthFlags {
  cmd?: string;
  interval?: string;
  timeout?: string;
  startPeriod?: string;
  startInterval?: string;
  retries?: string;
  noHealthcheck?: boolean;
}

/** The flag rows run/create add to their table (names as the docker CLI spells them). */
export const HEALTH_FLAG_NAMES = ['health-cmd', 'health-interval', 'health-timeout', 'health-start-period', 'health-start-interval', 'health-retries'] as const;

function duration(flag: string, value: string | undefined): number {
  if (value === undefined) return 0;
  const negative = value.startsWith('-');
  const ns = parseGoDuration(negative || value.startsWith('+') ? value.slice(1) : value);
  if (ns === undefined) throw flagError(flag, value, `time: invalid duration ${JSON.stringify(value)}`);
  if (negative && ns > 0) throw new InvalidArgumentError(`${flag} cannot be negative`);
  return ns;
}

export function healthcheckFromFlags(f: HealthFlags): HealthConfig | undefined {
  const interval = duration('--health-interval', f.interval);
  const timeout = duration('--health-timeout', f.timeout);
  const startPeriod = duration('--health-start-period', f.startPeriod);
  const startInterval = duration('--health-start-interval', f.startInterval);
  let retries = 0;
  if (f.retries !== undefined) {
    if (!/^[+-]?\d+$/.test(f.retries.trim())) throw flagError('--health-retries', f.retries, `strconv.ParseInt: parsing ${JSON.stringify(f.retries)}: invalid syntax`);
    retries = Number(f.retries);
    if (retries < 0) throw new InvalidArgumentError('--health-retries cannot be negative');
  }
  const any = Boolean(f.cmd) || interval !== 0 || timeout !== 0 || startPeriod !== 0 || startInterval !== 0 || retries !== 0;
  if (f.noHealthcheck) {
    if (any) throw new InvalidArgumentError('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  if (!any) return undefined;
  return {
    Test: f.cmd ? ['CMD-SHELL', f.cmd] : [],
    Interval: interval, Timeout: timeout, StartPeriod: startPeriod, StartInterval: startInterval, Retries: retries,
  };
}
