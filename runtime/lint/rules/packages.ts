// Package-manager queries shared by the hadolint rules that look into RUN: which commands
// install what, with which switches. Everything works on parsed shell words (runtime/shell).
import type { SimpleCommand, Word } from '../../shell/words';
import type { Instr, LintContext, RunScript } from '../context';
import { commandsNamed, positionals, shellRuns } from './helpers';

export interface Install { instr: Instr; script: RunScript; cmd: SimpleCommand; sub: string; packages: Word[] }

/**
 * Every `<tool> <sub> pkg…` in RUNs, e.g. tool `apt-get`, subs `install`. `withValue` lists the
 * switches that take the next word as their value (so it is not a package).
 */
export function installs(ctx: LintContext, tools: string[], subs: string[], withValue: string[] = []): Install[] {
  const out: Install[] = [];
  for (const { instr, script } of shellRuns(ctx)) {
    for (const cmd of commandsNamed(script, ...tools)) {
      const pos = positionals(cmd, withValue);
      const sub = pos[0]?.value;
      if (sub === undefined || !subs.includes(sub)) continue;
      out.push({ instr, script, cmd, sub, packages: pos.slice(1) });
    }
  }
  return out;
}

/** Commands after `index` in the same script (the cleanup must come after the install). */
export function later(script: RunScript, cmd: SimpleCommand): SimpleCommand[] {
  return script.shell.commands.filter((c) => c.start > cmd.start);
}

/** `rm` of a path (or a prefix of it, or a glob below it) later in the script. */
export function removesLater(script: RunScript, cmd: SimpleCommand, path: string): boolean {
  return later(script, cmd).some((c) => c.name === 'rm' && c.args.some((a) => a.value.replace(/\/\*?$/, '').startsWith(path.replace(/\/\*?$/, ''))));
}

export function removes(script: RunScript, path: string): boolean {
  return script.shell.commands.some((c) => c.name === 'rm' && c.args.some((a) => a.value.replace(/\/\*?$/, '').startsWith(path.replace(/\/\*?$/, ''))));
}

export const APT_GET_VALUE_FLAGS = ['-t', '--target-release', '-o', '--option', '-c', '--config-file'];
export const APK_VALUE_FLAGS = ['-t', '--virtual', '--repository', '-X', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file'];
export const YUM_VALUE_FLAGS = ['-c', '--config', '--installroot', '--enablerepo', '--disablerepo', '-x', '--exclude', '--releasever', '--setopt', '-d', '-e', '--repo', '--repoid'];
export const ZYPPER_VALUE_FLAGS = ['-r', '--repo', '--from', '-t', '--type', '--root', '-R', '--reposd-dir', '-C', '--cache-dir'];

/** The rpm-style `name-version` check shared by yum/dnf (DL3033, DL3041). */
export function rpmPinned(ctx: LintContext, instr: Instr, pkg: string): boolean {
  if (pkg.endsWith('.rpm')) return true;
  const vars = [...pkg.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  if (vars.length > 0) return vars.every((v) => declared(ctx, instr, v));
  const parts = pkg.split('-');
  if (parts.length < 2) return false;
  const rest = parts.slice(1);
  return rest.every((p) => /^[A-Za-z0-9.~^_:+]+$/.test(p)) && rest.some((p) => /^[0-9]/.test(p));
}

/** A name declared by an ARG anywhere before, or by an ENV in the instruction's stage. */
export function declared(ctx: LintContext, instr: Instr, name: string): boolean {
  const line = instr.range.start.line;
  return ctx.instrs.some((i) => i.range.start.line < line && (
    (i.keyword === 'ARG' && i.args.some((a) => a.split('=')[0] === name))
    || (i.keyword === 'ENV' && i.stage === instr.stage && i.args.some((a) => a.split('=')[0] === name))));
}
