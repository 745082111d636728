import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3067', name: 'copy-whole-filesystem', family: 'hadolint', severity: 'warning',
  description: 'Do not copy the entire filesystem of another stage',
  url: hadolintUrl('DL3067'),
  format: () => 'Do not copy the entire filesystem of another stage (`COPY --from=… / /`); copy only the files you need',
  examples: { bad: [{ source: 'FROM debian:12 AS build\nFROM scratch\nCOPY --from=build / /\n' }], good: [{ source: 'FROM debian:12 AS build\nFROM scratch\nCOPY --from=build /usr/bin/env /usr/bin/env\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('COPY', false)) {
      if (ctx.flag(instr, 'from') !== undefined && instr.args.length === 2 && instr.args[0] === '/' && instr.args[1] === '/') report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
