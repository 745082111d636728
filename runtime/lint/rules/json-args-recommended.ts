import { parseShell } from '../../shell/words';
import { buildkitUrl, defineRule } from '../rule';
import type { LintContext, Instr } from '../context';
import type { Fix } from '../types';

/**
 * The exec-form rewrite, offered only when it cannot change the meaning: one simple command
 * with no shell syntax at all (no variables, globs, redirections, quotes or operators).
 */
export function execFormFix(ctx: LintContext, instr: Instr): Fix | undefined {
  const range = instr.argsRange;
  if (!range || instr.range.start.line !== instr.range.end.line) return undefined;
  const text = ctx.source.slice(ctx.offsetAt(range.start), ctx.offsetAt(range.end));
  if (/[$`|&;<>(){}*?[\]~'"\\#!]/.test(text)) return undefined;
  const shell = parseShell(text);
  if (shell.commands.length !== 1 || shell.commands[0].assignments.length > 0) return undefined;
  const words = [shell.commands[0].name, ...shell.commands[0].args.map((a) => a.value)];
  return { title: 'Use the JSON (exec) form', edits: [{ range, newText: JSON.stringify(words).replace(/","/g, '", "') }] };
}

export default defineRule({
  code: 'JSONArgsRecommended', name: 'JSONArgsRecommended', family: 'buildkit', severity: 'warning',
  description: 'JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals',
  url: buildkitUrl('json-args-recommended'),
  format: (instruction: string) => `JSON arguments recommended for ${instruction} to prevent unintended behavior related to OS signals`,
  examples: {
    bad: [{ source: 'FROM alpine\nENTRYPOINT my-program start\n' }],
    good: [{ source: 'FROM alpine\nENTRYPOINT ["my-program", "start"]\n' }, { source: 'FROM alpine\nSHELL ["/bin/sh", "-c"]\nCMD my-program start\n' }],
  },
  check(ctx, report) {
    for (const instr of ctx.instrs) {
      if ((instr.keyword !== 'CMD' && instr.keyword !== 'ENTRYPOINT') || instr.onbuild || instr.json || instr.stage < 0) continue;
      if (instr.args.length === 0) continue;
      // An explicit SHELL says the shell form is wanted (BuildKit checks the image's Shell).
      if (ctx.shellFor(instr)) continue;
      const fix = execFormFix(ctx, instr);
      report({ range: ctx.firstLine(instr), message: this.format(instr.keyword), fixes: fix ? [fix] : [] });
    }
  },
});
