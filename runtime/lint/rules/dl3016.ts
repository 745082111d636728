import { defineRule, hadolintUrl } from '../rule';
import { commandsNamed, shellRuns } from './helpers';

export function npmPinned(pkg: string): boolean {
  if (/^(\/|\.\/|\.\.\/|~\/)/.test(pkg)) return true;
  if (/\.(tar|tar\.gz|tgz)$/.test(pkg)) return true;
  if (/^(git(\+[a-z]+)?:|https?:|github:|git@)/.test(pkg)) return pkg.includes('#');
  const at = pkg.startsWith('@') ? pkg.indexOf('@', pkg.indexOf('/') + 1) : pkg.indexOf('@');
  return at > 0;
}

const VALUE_FLAGS = ['--prefix', '--registry', '--cache', '-C', '--workspace', '-w', '--tag', '--omit', '--include'];

export default defineRule({
  code: 'DL3016', name: 'npm-pin-versions', family: 'hadolint', severity: 'warning',
  description: 'Pin versions in npm',
  url: hadolintUrl('DL3016'),
  format: () => 'Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`',
  examples: { bad: [{ source: 'FROM node:20-alpine\nRUN npm install -g @vue/cli\n' }], good: [{ source: 'FROM node:20-alpine\nRUN npm install -g @vue/cli@5.0.8 && npm install\n' }] },
  check(ctx, report) {
    for (const { script } of shellRuns(ctx)) {
      for (const cmd of commandsNamed(script, 'npm')) {
        const i = cmd.args.findIndex((a) => !a.value.startsWith('-'));
        if (i < 0 || !['install', 'i', 'add'].includes(cmd.args[i].value)) continue;
        let skip = false;
        const bad = cmd.args.slice(i + 1).find((a) => {
          if (skip) { skip = false; return false; }
          if (VALUE_FLAGS.includes(a.value)) { skip = true; return false; }
          return !a.value.startsWith('-') && !npmPinned(a.value);
        });
        if (bad) report({ range: ctx.scriptRange(script, bad.start, bad.end), message: this.format() });
      }
    }
  },
});
