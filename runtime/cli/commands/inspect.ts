// slipway inspect: the Engine API's JSON of containers (or volumes, as a fallback), as a JSON
// array like docker inspect, or through --format.
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { renderFormat } from '../format';
import { needArgs } from './container-io';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Return low-level information on containers or volumes',
  usage: [
    'Usage:  slipway inspect [OPTIONS] NAME|ID [NAME|ID...]',
    '',
    'Return low-level information on containers or volumes',
    '',
    'Options:',
    '  -f, --format string   Format output using a template such as {{.State.Status}}',
    '      --type string     Only inspect objects of the given type (container, volume)',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, options: { format: { type: 'string', short: 'f' }, type: { type: 'string' } }, strict: true, allowPositionals: true });
    needArgs('inspect', positionals, 1, 'NAME|ID [NAME|ID...]');
    return withClient(ctx, async (api) => {
      const found: unknown[] = [];
      let failed = 0;
      for (const ref of positionals) {
        const tries = values.type === 'volume' ? ['volume'] : values.type === 'container' ? ['container'] : ['container', 'volume'];
        let value: unknown;
        for (const t of tries) {
          value = await api.get(t === 'container' ? `/containers/${encodeURIComponent(ref)}/json` : `/volumes/${encodeURIComponent(ref)}`).catch(() => undefined);
          if (value !== undefined) break;
        }
        if (value === undefined) {
          failed++;
          ctx.stderr.write(`Error: No such object: ${ref}\n`);
        } else found.push(value);
      }
      if (values.format) ctx.stdout.write(found.map((v) => `${renderFormat(values.format!, v)}\n`).join(''));
      else ctx.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
      return failed ? 1 : 0;
    });
  },
};
