import { defineRule, hadolintUrl } from '../rule';
import { commandsNamed, shellRuns, unquotedArgs } from './helpers';

export const ARCHIVE = /\.(tar|gz|tgz|bz2|tbz2?|xz|txz|Z|lz|lzma|tlz|zst|tzst)$/;

export default defineRule({
  code: 'DL3010', name: 'add-to-extract', family: 'hadolint', severity: 'info',
  description: 'Use ADD for extracting archives into an image',
  url: hadolintUrl('DL3010'),
  format: () => 'Use ADD for extracting archives into an image',
  examples: { bad: [{ source: 'FROM alpine:3.20\nCOPY vendor.tar.gz /tmp/\nRUN tar -xzf /tmp/vendor.tar.gz -C /opt\n' }], good: [{ source: 'FROM alpine:3.20\nADD vendor.tar.gz /opt/\n' }] },
  check(ctx, report) {
    const runs = shellRuns(ctx);
    for (const copy of ctx.of('COPY', false)) {
      if (ctx.flag(copy, 'from') !== undefined) continue;
      const archives = unquotedArgs(ctx, copy).slice(0, -1).filter((s) => ARCHIVE.test(s)).map((s) => s.split('/').pop() as string);
      if (archives.length === 0) continue;
      const extracted = runs.some(({ instr, script }) => instr.stage === copy.stage && instr.range.start.line > copy.range.start.line
        && [...commandsNamed(script, 'tar'), ...commandsNamed(script, 'unzip', 'gunzip', 'zcat', 'bunzip2', 'unxz', 'xz')].some((c) => {
          const isTarExtract = c.name !== 'tar' || c.args.some((a) => a.value === '--extract' || a.value === '--get' || /^-?[a-zA-Z]*x/.test(a.value));
          return isTarExtract && c.args.some((a) => archives.includes(a.value.split('/').pop() as string));
        }));
      if (extracted) report({ range: ctx.firstLine(copy), message: this.format() });
    }
  },
});
