import { IgnoreMatcher, goClean, readIgnoreFile } from '../../build/context/ignore';
import { buildkitUrl, defineRule } from '../rule';
import { unquotedArgs } from './helpers';

export default defineRule({
  code: 'CopyIgnoredFile', name: 'CopyIgnoredFile', family: 'buildkit', severity: 'warning',
  description: 'Attempting to Copy file that is excluded by .dockerignore',
  url: buildkitUrl('copy-ignored-file'),
  format: (cmd: string, file: string) => `Attempting to ${cmd} file ${JSON.stringify(file)} that is excluded by .dockerignore`,
  examples: {
    bad: [{ source: 'FROM scratch\nCOPY tmp/helloworld.txt /helloworld.txt\n', dockerignore: 'tmp\n' }],
    good: [{ source: 'FROM scratch\nCOPY forever/helloworld.txt /helloworld.txt\n', dockerignore: 'tmp\n' }],
  },
  check(ctx, report) {
    if (ctx.options.dockerignore === undefined) return;
    let matcher: IgnoreMatcher;
    try {
      matcher = new IgnoreMatcher(readIgnoreFile(ctx.options.dockerignore));
    } catch {
      return; // a broken .dockerignore fails the build itself; nothing to lint against
    }
    // As BuildKit: exceptions (`!`) make the answer depend on the directory walk, so no check.
    if (matcher.hasExclusions) return;
    const rootIgnored = matcher.patterns.some((p) => ['*', '**', '**/*'].includes(p.text));
    for (const instr of ctx.instrs) {
      if ((instr.keyword !== 'COPY' && instr.keyword !== 'ADD') || instr.onbuild) continue;
      if (ctx.flag(instr, 'from') !== undefined) continue;
      const heredocs = instr.keyword === 'COPY' ? instr.heredocs.length : 0;
      if (heredocs > 0) continue;
      const sources = unquotedArgs(ctx, instr).slice(0, -1);
      for (const src of sources) {
        if (/^[a-z]+:\/\//i.test(src) || src.startsWith('git@') || src.includes('$')) continue;
        // Context-relative, as BuildKit cleans COPY sources: "/" and "" are the context root.
        const clean = goClean(src).replace(/^\/+/, '');
        if ((clean === '.' || clean === '') && !rootIgnored) continue;
        if (clean === '.' || clean === '' ? rootIgnored : matcher.ignores(clean)) {
          report({ range: ctx.firstLine(instr), message: this.format(instr.keyword === 'ADD' ? 'Add' : 'Copy', clean === '' ? '/' : clean) });
        }
      }
    }
  },
});
