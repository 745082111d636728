import { defineRule, hadolintUrl } from '../rule';
import { ARCHIVE } from './dl3010';
import { unquotedArgs } from './helpers';

export default defineRule({
  code: 'DL3020', name: 'copy-not-add', family: 'hadolint', severity: 'error',
  description: 'Use COPY instead of ADD for files and folders',
  url: hadolintUrl('DL3020'),
  format: () => 'Use COPY instead of ADD for files and folders',
  examples: { bad: [{ source: 'FROM alpine:3.20\nADD config/ /etc/myapp/\n' }], good: [{ source: 'FROM alpine:3.20\nADD rootfs.tar.xz /\nADD https://example.com/tool.tgz /tmp/\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('ADD')) {
      if (instr.args.some((a) => /^<<-?["']?\w/.test(a))) continue;
      // Quotes are not part of the source; a source that is only a variable could be a URL.
      const sources = unquotedArgs(ctx, instr).slice(0, -1).filter((a) => !a.startsWith('$'));
      if (sources.length === 0) continue;
      const plain = sources.every((s) => !/^(https?|git|ssh):\/\//i.test(s) && !s.startsWith('git@') && !ARCHIVE.test(s) && !/\.(zip|7z|rar)$/i.test(s));
      if (!plain || ctx.flag(instr, 'checksum') !== undefined || ctx.flag(instr, 'keep-git-dir') !== undefined) continue;
      const keyword = instr.written === instr.written.toLowerCase() ? 'copy' : 'COPY';
      report({ range: ctx.firstLine(instr), message: this.format(), fixes: [{ title: 'Use COPY', edits: [{ range: instr.keywordRange, newText: keyword }] }] });
    }
  },
});
