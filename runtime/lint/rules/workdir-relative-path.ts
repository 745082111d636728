import { unquoteWord } from '../../dockerfile/located';
import { buildkitUrl, defineRule } from '../rule';

/** WORKDIR's path as BuildKit reads it (quotes and escapes removed) is absolute, or starts with a variable. */
export function isAbsolutePath(written: string, escape: string): boolean {
  const v = unquoteWord(written, escape);
  return v.startsWith('/') || v.startsWith('$') || /^[A-Za-z]:[\\/]/.test(v) || v.startsWith('\\');
}

export default defineRule({
  code: 'WorkdirRelativePath', name: 'WorkdirRelativePath', family: 'buildkit', severity: 'warning',
  description: 'Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes',
  url: buildkitUrl('workdir-relative-path'),
  format: (workdir: string) => `Relative workdir ${JSON.stringify(workdir)} can have unexpected results if the base image changes`,
  examples: {
    bad: [{ source: 'FROM nginx AS web\nWORKDIR usr/share/nginx/html\n' }],
    good: [{ source: 'FROM nginx AS web\nWORKDIR /usr/share/nginx/html\n' }, { source: 'FROM nginx\nWORKDIR /srv\nWORKDIR app\n' }],
  },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      // Only the first WORKDIR of a stage matters: fixing it fixes every later relative one.
      // A parent stage (FROM <stage>) that set an absolute WORKDIR counts too.
      const inherited = ctx.lineage(stage).slice(1).some((s) => s.instrs.some((i) => i.keyword === 'WORKDIR' && !i.onbuild));
      if (inherited) continue;
      const first = stage.instrs.find((i) => i.keyword === 'WORKDIR' && !i.onbuild);
      if (!first || first.args.length === 0) continue;
      const path = first.args.join(' ');
      if (isAbsolutePath(path, ctx.escape)) continue;
      const r = first.argsRange ?? ctx.firstLine(first);
      report({
        range: r, message: this.format(path),
        fixes: [{ title: `Make the path absolute (/${path.replace(/^\.\//, '')})`, edits: [{ range: r, newText: `/${path.replace(/^\.\//, '')}` }] }],
      });
    }
  },
});
