// --health-* / --no-healthcheck → Config.Healthcheck as the docker CLI builds it, through
// the real run/create flag parser (parseRunArgs + toCreateRequest), with its error wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunArgs, toCreateRequest } from '../../../../runtime/cli/commands/container-flags';

const body = (...flags: string[]) => toCreateRequest(parseRunArgs([...flags, 'busybox', 'sleep', '1']), {}).body;
const S = 1e9;

const cases: Array<[string, string[], unknown]> = [
  ['no flags: no Healthcheck (the image decides)', [], undefined],
  ['--health-cmd as CMD-SHELL, zeros for the rest', ['--health-cmd', 'wget -q localhost || exit 1'],
    { Test: ['CMD-SHELL', 'wget -q localhost || exit 1'], Interval: 0, Timeout: 0, StartPeriod: 0, StartInterval: 0, Retries: 0 }],
  ['every duration and retries', ['--health-cmd=true', '--health-interval=1m30s', '--health-timeout', '500ms', '--health-start-period', '2s', '--health-start-interval', '100ms', '--health-retries', '4'],
    { Test: ['CMD-SHELL', 'true'], Interval: 90 * S, Timeout: 0.5 * S, StartPeriod: 2 * S, StartInterval: 0.1 * S, Retries: 4 }],
  ['a setting without --health-cmd keeps the image test (empty Test)', ['--health-interval', '1s'],
    { Test: [], Interval: S, Timeout: 0, StartPeriod: 0, StartInterval: 0, Retries: 0 }],
  ['--no-healthcheck', ['--no-healthcheck'], { Test: ['NONE'] }],
];
for (const [name, flags, want] of cases) test(`health flags: ${name}`, () => assert.deepEqual(body(...flags).Healthcheck, want));

const errors: Array<[string[], RegExp]> = [
  [['--no-healthcheck', '--health-cmd', 'true'], /^--no-healthcheck conflicts with --health-\* options$/],
  [['--health-interval', 'soon'], /invalid argument "soon" for "--health-interval" flag: time: invalid duration "soon"/],
  [['--health-timeout', '-1s'], /^--health-timeout cannot be negative$/],
  [['--health-retries', '-2'], /^--health-retries cannot be negative$/],
  [['--health-retries', 'many'], /invalid argument "many" for "--health-retries" flag/],
];
for (const [flags, re] of errors) test(`health flags error: ${flags.join(' ')}`, () => assert.throws(() => body(...flags), { message: re }));
