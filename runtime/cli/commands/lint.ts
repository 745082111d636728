// slipway lint: lints Dockerfiles locally (no service needed), for CI and the terminal.
// Output and exit codes follow hadolint: `Dockerfile:12 DL3008 warning: …`, exit 1 when a
// finding reaches the failure threshold (default: error), 2 for bad usage or an unreadable
// file. `-` reads the Dockerfile from stdin. When a slipway service already runs, the base
// images' environments in its store feed UndefinedVar (lint never starts the service and never
// fails because it is down; --no-service skips the question).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient, localImageEnvs, type ImageEnv } from '../../client';
import { describe } from '../../errors';
import { atLeast, lint, loadHadolintConfig, mergeConfigs } from '../../lint/index';
import { formatJson, formatSarif, formatText, type FileFindings } from '../../lint/format';
import type { Finding, LintConfig, LintOptions, Severity, SeveritySetting } from '../../lint/types';
import { PRODUCT_VERSION } from '../../service/api-version';
import { serviceLocation } from '../api';
import type { CliContext, Command } from '../command';

export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const THRESHOLDS: Record<string, Severity | 'none'> = { error: 'error', warning: 'warning', info: 'info', style: 'hint', hint: 'hint', none: 'none' };
const SETTING: Record<string, SeveritySetting> = { error: 'error', warning: 'warning', info: 'info', style: 'hint', hint: 'hint', off: 'off', ignore: 'off' };

const USAGE = [
  'Usage:  slipway lint [OPTIONS] [DOCKERFILE...]',
  '',
  'Lint Dockerfiles with BuildKit\'s build checks and hadolint\'s DL rules (default: ./Dockerfile; - reads stdin).',
  '',
  'Options:',
  '      --format string               Output format: text, json or sarif (default "text")',
  '  -c, --config string               A .hadolint.yaml (default: ./.hadolint.yaml when present)',
  '  -t, --failure-threshold string    Lowest severity that fails: error, warning, info, style or none (default "error")',
  '      --severity-threshold string   Same as --failure-threshold',
  '      --ignore string               Ignore a rule (repeatable)',
  '      --error|--warning|--info|--style string   Set a rule\'s severity (repeatable)',
  '      --no-fail                     Always exit 0 when linting ran',
  '      --no-service                  Do not ask a running slipway service for base images\' environments',
  '',
  'The .dockerignore next to each Dockerfile (NAME.dockerignore, else .dockerignore) feeds CopyIgnoredFile.',
  'When the slipway service is running, the Env of base images in its store feeds UndefinedVar.',
  'Exit status: 0 clean, 1 findings at or above the threshold, 2 bad usage or unreadable file.',
].join('\n');

export function makeLintCommand(readStdin: () => Promise<string> = readProcessStdin): Command {
  return {
    name: 'lint',
    summary: 'Lint Dockerfiles (BuildKit checks and hadolint rules)',
    usage: USAGE,
    async run(args, ctx) {
      let parsed;
      try {
        parsed = parseArgs({
          args, allowPositionals: true, strict: true,
          options: {
            format: { type: 'string', default: 'text' }, config: { type: 'string', short: 'c' },
            'failure-threshold': { type: 'string', short: 't' }, 'severity-threshold': { type: 'string' },
            ignore: { type: 'string', multiple: true }, error: { type: 'string', multiple: true }, warning: { type: 'string', multiple: true },
            info: { type: 'string', multiple: true }, style: { type: 'string', multiple: true }, 'no-fail': { type: 'boolean' },
            'no-service': { type: 'boolean' },
          },
        });
      } catch (err) {
        return usageError(ctx, (err as Error).message);
      }
      const { values, positionals } = parsed;
      const format = values.format ?? 'text';
      if (!['text', 'json', 'sarif'].includes(format)) return usageError(ctx, `unknown --format "${format}" (expected text, json or sarif)`);
      const thresholdArg = values['failure-threshold'] ?? values['severity-threshold'];
      if (thresholdArg !== undefined && !THRESHOLDS[thresholdArg]) return usageError(ctx, `unknown threshold "${thresholdArg}" (expected error, warning, info, style or none)`);

      let config: LintConfig;
      try {
        const file = values.config ?? ['.hadolint.yaml', '.hadolint.yml'].map((f) => path.resolve(ctx.cwd, f)).find((f) => existsSync(f));
        const fromFile = file ? await loadHadolintConfig(path.resolve(ctx.cwd, file)) : undefined;
        const severities: Record<string, SeveritySetting> = {};
        for (const level of ['error', 'warning', 'info', 'style'] as const) for (const code of values[level] ?? []) severities[code] = SETTING[level];
        config = mergeConfigs(fromFile, { severities, ignored: values.ignore ?? [] });
      } catch (err) {
        ctx.stderr.write(`slipway lint: ${describe(err)}\n`);
        return EXIT_USAGE;
      }
      const threshold = THRESHOLDS[thresholdArg ?? ''] ?? config.failureThreshold ?? 'error';

      const files = positionals.length > 0 ? positionals : ['Dockerfile'];
      const inputs: { name: string; source: string; options: LintOptions }[] = [];
      for (const file of files) {
        let source: string;
        let dockerignore: string | undefined;
        try {
          source = file === '-' ? await readStdin() : await readFile(path.resolve(ctx.cwd, file), 'utf8');
          if (file !== '-') dockerignore = await findDockerignore(path.resolve(ctx.cwd, file));
        } catch (err) {
          ctx.stderr.write(`slipway lint: cannot read ${file}: ${describe(err)}\n`);
          return EXIT_USAGE;
        }
        const name = file === '-' ? '-' : file;
        inputs.push({ name, source, options: { file: name, config, dockerignore } });
      }
      const results = await lintAll(inputs, values['no-service'] ? undefined : (images) => imageEnvsFromService(ctx, images));
      const out = format === 'json' ? formatJson(results) : format === 'sarif' ? formatSarif(results, PRODUCT_VERSION) : formatText(results);
      ctx.stdout.write(out);
      if (values['no-fail'] || threshold === 'none') return 0;
      const failing = results.some((r) => r.findings.some((f) => atLeast(f.severity, threshold)));
      return failing ? EXIT_FINDINGS : 0;
    },
  };
}

type ImageEnvs = (images: Set<string>) => Promise<Map<string, ImageEnv>>;

/**
 * Lints every file once, noting which base images UndefinedVar asks about; when some were
 * asked and `imageEnvs` knows any of them, lints those files again with the environments.
 * (Lint takes milliseconds; the second pass avoids parsing FROM lines outside the engine.)
 */
export async function lintAll(inputs: { name: string; source: string; options: LintOptions }[], imageEnvs?: ImageEnvs): Promise<FileFindings[]> {
  const asked = inputs.map(() => new Set<string>());
  const first: Finding[][] = inputs.map((input, i) => lint(input.source, { ...input.options, baseImageEnv: (image) => { asked[i].add(image); return undefined; } }));
  const all = new Set(asked.flatMap((a) => [...a]));
  const envs = imageEnvs && all.size > 0 ? await imageEnvs(all) : new Map<string, ImageEnv>();
  return inputs.map((input, i) => ({
    file: input.name,
    findings: [...asked[i]].some((image) => envs.has(image)) ? lint(input.source, { ...input.options, baseImageEnv: (image) => envs.get(image) }) : first[i],
  }));
}

/** The environments a running service knows; none when it is not running (never started here). */
async function imageEnvsFromService(ctx: CliContext, images: Set<string>): Promise<Map<string, ImageEnv>> {
  const client = new ApiClient({ socketPath: serviceLocation(ctx.env).socketPath });
  try {
    return await localImageEnvs(client, images);
  } finally {
    client.close();
  }
}

function usageError(ctx: CliContext, message: string): number {
  ctx.stderr.write(`slipway lint: ${message}\nSee 'slipway lint --help'.\n`);
  return EXIT_USAGE;
}

/** BuildKit's choice: `<Dockerfile>.dockerignore` beside the Dockerfile, else the context's. */
async function findDockerignore(dockerfile: string): Promise<string | undefined> {
  for (const candidate of [`${dockerfile}.dockerignore`, path.join(path.dirname(dockerfile), '.dockerignore')]) {
    if (existsSync(candidate)) return readFile(candidate, 'utf8');
  }
  return undefined;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const lintCommand: Command = makeLintCommand();
