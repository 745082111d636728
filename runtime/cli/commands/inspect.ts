// slipway inspect: the Engine API's JSON of containers, images or volumes, as a JSON array like
// docker inspect, or through --format. Without --type a name is looked up as docker does: a
// container first, then an image, then a volume; the first kind that has it wins.
// `slipway image inspect` is the same lookup restricted to images.
import { parseArgs } from 'node:util';
import type { ApiClient } from '../../client';
import { idPath, imagePath } from '../../client/paths';
import { InvalidArgumentError, NotFoundError } from '../../errors';
import { CliError, withClient } from '../api';
import type { CliContext, Command } from '../command';
import { renderFormat } from '../format';
import { needArgs } from './container-io';
import { errorText } from '../dispatch';

export type ObjectKind = 'container' | 'image' | 'volume';

/** Where each kind's JSON is, and how docker names a missing one. */
const KINDS: Record<ObjectKind, { path(ref: string): string; missing: string }> = {
  container: { path: (ref) => `/containers/${idPath(ref)}/json`, missing: 'No such container' },
  image: { path: (ref) => `/images/${imagePath(ref)}/json`, missing: 'No such image' },
  volume: { path: (ref) => `/volumes/${idPath(ref)}`, missing: 'No such volume' },
};

/** docker's lookup order when no --type is given. */
const AUTO: readonly ObjectKind[] = ['container', 'image', 'volume'];

/** The kinds to try for `--type` (all of them, in docker's order, when it is absent). */
export function kindsFor(type: string | undefined): readonly ObjectKind[] {
  if (type === undefined || type === '') return AUTO;
  if (type in KINDS) return [type as ObjectKind];
  throw new CliError(`"${type}" is not a valid value for --type (container, image, volume)`);
}

/**
 * An answer that means "not this kind, try the next": a 404, or, while guessing, a 400 (a
 * container name is not always a valid image reference, "My Box" for example).
 */
function skippable(err: unknown, guessing: boolean): boolean {
  return err instanceof NotFoundError || (guessing && err instanceof InvalidArgumentError);
}

/**
 * Looks up every ref, prints what was found (JSON array, or one rendered --format line per
 * object) and one error line per ref that was not; the exit status is 1 if any failed.
 */
export async function inspectObjects(api: ApiClient, refs: readonly string[], kinds: readonly ObjectKind[], format: string | undefined, ctx: CliContext): Promise<number> {
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const ref of refs) {
    let value: unknown;
    let failure: string | undefined;
    for (const kind of kinds) {
      try {
        value = await api.get(KINDS[kind].path(ref));
        break;
      } catch (err) {
        if (!skippable(err, kinds.length > 1)) { failure = errorText(err); break; }
      }
    }
    if (value !== undefined) found.push(value);
    else errors.push(failure ?? `Error: ${kinds.length > 1 ? 'No such object' : KINDS[kinds[0]].missing}: ${ref}`);
  }
  if (format) ctx.stdout.write(found.map((v) => `${renderFormat(format, v)}\n`).join(''));
  else ctx.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
  for (const e of errors) ctx.stderr.write(`${e}\n`);
  return errors.length > 0 ? 1 : 0;
}

/** `inspect` and `image inspect` arguments: -f/--format, and --type unless the kind is fixed. */
export async function runInspect(args: string[], ctx: CliContext, fixed?: ObjectKind): Promise<number> {
  const { values, positionals } = parseArgs({
    args, strict: true, allowPositionals: true,
    options: { format: { type: 'string', short: 'f' }, ...(fixed ? {} : { type: { type: 'string' } }) },
  });
  const name = fixed ? `${fixed} inspect` : 'inspect';
  needArgs(name, positionals, 1, fixed === 'image' ? 'IMAGE [IMAGE...]' : 'NAME|ID [NAME|ID...]');
  const kinds = fixed ? [fixed] : kindsFor(values.type as string | undefined);
  return withClient(ctx, (api) => inspectObjects(api, positionals, kinds, values.format, ctx));
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Return low-level information on containers, images or volumes',
  usage: [
    'Usage:  slipway inspect [OPTIONS] NAME|ID [NAME|ID...]',
    '',
    'Return low-level information on containers, images or volumes',
    '',
    'Options:',
    '  -f, --format string   Format output using a template such as {{.State.Status}}',
    '      --type string     Only inspect objects of the given type (container, image, volume)',
  ].join('\n'),
  run: (args, ctx) => runInspect(args, ctx),
};
