// slipway build: sends the context directory's path to POST /slipway/build (the service reads
// it in place: same machine) and draws the build events: one line per step with cached /
// duration / layer size and +added ~modified -deleted counts, RUN output indented under it.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BuildEvent, StepInfo } from '../../build/events';
import { SlipwayError } from '../../errors';
import { familiarName, parseReference } from '../../image/reference';
import { CliError, serviceLocation, withClient } from '../api';
import type { Command } from '../command';
import { humanSizeWithPrecision } from '../format';

/** Turns events into output text; keeps the step list of build-start. Pure (for tests). */
export function buildRenderer(options: { quiet?: boolean } = {}): (e: BuildEvent) => string {
  let steps: StepInfo[] = [];
  return (e) => {
    if (options.quiet && e.type !== 'build-end' && e.type !== 'build-error') return '';
    switch (e.type) {
      case 'build-start':
        steps = e.steps;
        return '';
      case 'step-start': {
        const s = steps[e.step];
        return `[${s?.stage ?? '?'} ${e.step + 1}/${steps.length}] ${s?.instruction ?? ''}\n`;
      }
      case 'step-log':
        return `  │ ${e.text}\n`;
      case 'step-end': {
        const parts = [e.cached ? 'CACHED' : `${(e.durationMs / 1000).toFixed(2)}s`];
        if (e.layer) parts.push(`layer ${humanSizeWithPrecision(e.layer.size, 3)} (+${e.layer.counts.added} ~${e.layer.counts.modified} -${e.layer.counts.deleted})`);
        else parts.push('no layer');
        if (e.cacheMiss) parts.push(`cache miss: ${e.cacheMiss}`);
        return `  => ${parts.join(', ')}\n`;
      }
      case 'build-end':
        if (options.quiet) return `${e.imageId}\n`;
        return [`Built ${e.imageId.slice(7, 19)} in ${(e.durationMs / 1000).toFixed(2)}s`, ...e.tags.map((t) => `Tagged ${familiarName(parseReference(t))}`)].join('\n') + '\n';
      case 'build-error': {
        // `file` is the Dockerfile as the user named it (relative to the context); the message has no location of its own.
        const where = e.range ? `${e.file ?? 'Dockerfile'}:${e.range.start.line + 1}: ` : '';
        return `ERROR: ${where}${e.message}\n`;
      }
    }
  };
}

/**
 * What to say when the build stream stops without its last event: the service went away (a
 * crash, a kill, `service stop`). Node reports that as a bare "aborted" or "socket hang up".
 */
export function lostConnectionMessage(stateRoot: string | undefined): string {
  const log = stateRoot ? path.join(stateRoot, 'service.log') : 'the service log';
  return `the connection to the slipway service was lost during the build (the service stopped or crashed); nothing was tagged. `
    + `See ${log}, check "slipway service status", and run the build again`;
}

/** True for an error of the stream itself (the connection), not an answer of the service. */
export function isConnectionLoss(err: unknown): boolean {
  if (err instanceof SlipwayError) return false; // an HTTP error answer or "service not running": said as is
  const e = err as NodeJS.ErrnoException | undefined;
  return e?.code === 'ECONNRESET' || e?.code === 'EPIPE' || e?.code === 'ERR_STREAM_PREMATURE_CLOSE' || /^(aborted|socket hang up)$/.test(e?.message ?? '');
}

/**
 * `--secret` as buildx takes it: `id=x,src=FILE` (or source=), `id=x,env=VAR`, `type=file|env`;
 * with neither src nor env, type=file reads a file named after the id and otherwise the
 * environment variable of that name is used. Pure: returns where the value comes from.
 */
export function parseSecretSpec(spec: string, env: Record<string, string | undefined>): { id: string; file?: string; value?: string } {
  const fields: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (eq < 0) throw new CliError(`invalid secret "${spec}": field "${part}" must be key=value`);
    if (!['id', 'type', 'src', 'source', 'env'].includes(key)) throw new CliError(`invalid secret "${spec}": unexpected key "${key}" (id, type, src, env)`);
    fields[key === 'source' ? 'src' : key] = part.slice(eq + 1);
  }
  const type = fields.type;
  if (type !== undefined && type !== 'file' && type !== 'env') throw new CliError(`invalid secret "${spec}": type must be file or env`);
  const id = fields.id ?? (type === 'env' ? fields.env : fields.src !== undefined ? path.basename(fields.src) : undefined);
  if (!id) throw new CliError(`invalid secret "${spec}": id is required`);
  const fromEnv = (name: string): { id: string; value: string } => {
    const value = env[name];
    if (value === undefined) throw new CliError(`secret ${id}: environment variable ${name} is not set`);
    return { id, value };
  };
  if (fields.src !== undefined && type !== 'env') return { id, file: fields.src };
  if (fields.env !== undefined || type === 'env') return fromEnv(fields.env ?? fields.src ?? id);
  if (type === 'file') return { id, file: id };
  if (env[id] !== undefined) return fromEnv(id);
  throw new CliError(`secret ${id}: give src=FILE or env=VAR (no environment variable ${id} either)`);
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'Build an image from a Dockerfile',
  usage: [
    'Usage:  slipway build [OPTIONS] PATH',
    '',
    'Build an image from a Dockerfile with Slipway\'s builder.',
    '',
    'Options:',
    '      --build-arg list   Set build-time variables (NAME=VALUE, or NAME to take it from the environment)',
    '  -f, --file string      Name of the Dockerfile (default: PATH/Dockerfile)',
    '      --no-cache         Do not use cache when building the image',
    '      --pull             Always attempt to pull a newer version of the image',
    '  -q, --quiet            Suppress the build output and print image ID on success',
    '      --secret list      Secret for RUN --mount=type=secret: id=x,src=FILE or id=x,env=VAR',
    '  -t, --tag list         Name and optionally a tag in the name:tag format',
    '      --target string    Set the target build stage to build',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, strict: true, allowPositionals: true,
      options: {
        file: { type: 'string', short: 'f' }, tag: { type: 'string', short: 't', multiple: true }, target: { type: 'string' },
        'no-cache': { type: 'boolean' }, pull: { type: 'boolean' }, 'build-arg': { type: 'string', multiple: true }, quiet: { type: 'boolean', short: 'q' },
        secret: { type: 'string', multiple: true },
      },
    });
    if (positionals.length !== 1) throw new CliError('"slipway build" requires exactly 1 argument: PATH');
    const context = path.resolve(ctx.cwd, positionals[0]);
    if (!fs.statSync(context, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`unable to prepare context: path "${positionals[0]}" not found`);
    const dockerfile = values.file ? path.relative(context, path.resolve(ctx.cwd, values.file)) : undefined;
    const buildArgs: Record<string, string> = {};
    for (const a of values['build-arg'] ?? []) {
      const eq = a.indexOf('=');
      if (eq > 0) buildArgs[a.slice(0, eq)] = a.slice(eq + 1);
      else if (ctx.env[a] !== undefined) buildArgs[a] = ctx.env[a]!;
    }
    // Read here, on the client's side, as buildx does: the service may not see the user's files
    // or environment. Sent in the request body, never in the URL.
    const secrets = (values.secret ?? []).map((spec) => {
      const s = parseSecretSpec(spec, ctx.env);
      let data: Buffer;
      try { data = s.file !== undefined ? fs.readFileSync(path.resolve(ctx.cwd, s.file)) : Buffer.from(s.value ?? ''); } catch (err) {
        throw new CliError(`secret ${s.id}: cannot read ${s.file}: ${(err as Error).message}`);
      }
      return { id: s.id, data: data.toString('base64') };
    });
    const render = buildRenderer({ quiet: values.quiet });
    let failed = false;
    let ended = false;
    await withClient(ctx, async (api) => {
      // `t` repeats (?t=a&t=b), which the client's query object cannot express.
      const q = new URLSearchParams();
      for (const t of values.tag ?? []) q.append('t', t);
      if (dockerfile) q.set('dockerfile', dockerfile);
      if (values.target) q.set('target', values.target);
      if (values['no-cache']) q.set('nocache', '1');
      if (values.pull) q.set('pull', '1');
      q.set('buildargs', JSON.stringify(buildArgs));
      try {
        for await (const e of api.stream<BuildEvent>('POST', `/slipway/build?${q.toString()}`, { body: { context, ...(secrets.length ? { secrets } : {}) } })) {
          const text = render(e);
          if (e.type === 'build-error') { failed = true; ctx.stderr.write(text); } else ctx.stdout.write(text);
          if (e.type === 'build-end' || e.type === 'build-error') ended = true;
        }
      } catch (err) {
        if (!isConnectionLoss(err)) throw err;
      }
      if (!ended) throw new CliError(lostConnectionMessage(serviceLocation(ctx.env).stateRoot));
    });
    return failed ? 1 : 0;
  },
};
