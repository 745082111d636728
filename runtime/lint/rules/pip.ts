// `pip install` detection shared by DL3013 and DL3042: `pip`, `pip3`, `pip3.12`, and
// `python… -m pip`.
import type { SimpleCommand, Word } from '../../shell/words';
import type { LintContext, Instr, RunScript } from '../context';
import { baseName, shellRuns } from './helpers';

export interface PipInstall { instr: Instr; script: RunScript; cmd: SimpleCommand; args: Word[] }

export function pipInstalls(ctx: LintContext): PipInstall[] {
  const out: PipInstall[] = [];
  for (const { instr, script } of shellRuns(ctx)) {
    for (const cmd of script.shell.commands) {
      const name = baseName(cmd.name);
      let args: Word[] | undefined;
      if (/^pip[0-9.]*$/.test(name)) args = cmd.args;
      else if (/^python[0-9.]*$/.test(name)) {
        const m = cmd.args.findIndex((a) => a.value === '-m');
        if (m >= 0 && cmd.args[m + 1]?.value === 'pip') args = cmd.args.slice(m + 2);
      }
      if (!args) continue;
      const i = args.findIndex((a) => !a.value.startsWith('-'));
      if (i < 0 || args[i].value !== 'install') continue;
      out.push({ instr, script, cmd, args: args.slice(i + 1) });
    }
  }
  return out;
}
