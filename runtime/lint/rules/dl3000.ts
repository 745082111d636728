import { defineRule, hadolintUrl } from '../rule';
import { isAbsolutePath } from './workdir-relative-path';

export default defineRule({
  code: 'DL3000', name: 'absolute-workdir', family: 'hadolint', severity: 'error', sameAs: 'WorkdirRelativePath',
  description: 'Use absolute WORKDIR',
  url: hadolintUrl('DL3000'),
  format: () => 'Use absolute WORKDIR',
  examples: { bad: [{ source: 'FROM alpine:3.20\nWORKDIR src/app\n' }], good: [{ source: 'FROM alpine:3.20\nWORKDIR /srv/app\nWORKDIR $HOME/project\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('WORKDIR')) {
      const path = instr.args.join(' ');
      if (path === '' || isAbsolutePath(path, ctx.escape)) continue;
      const r = instr.argsRange ?? ctx.firstLine(instr);
      report({ range: ctx.firstLine(instr), message: this.format(), fixes: [{ title: `Use /${path.replace(/^\.\//, '')}`, edits: [{ range: r, newText: `/${path.replace(/^\.\//, '')}` }] }] });
    }
  },
});
