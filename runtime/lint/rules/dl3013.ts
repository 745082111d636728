import { defineRule, hadolintUrl } from '../rule';
import { pipInstalls } from './pip';

const VALUE_FLAGS = ['-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--platform',
  '--python-version', '--implementation', '--abi', '--src', '--upgrade-strategy', '--trusted-host', '--proxy', '--cache-dir', '-e', '--editable', '--no-binary', '--only-binary', '--progress-bar', '--log', '--timeout', '--retries'];

export function pipPinned(pkg: string): boolean {
  if (/(==|>=|<=|~=|!=|===|<|>)/.test(pkg)) return true;
  if (/^(git|hg|svn|bzr)\+/.test(pkg)) return /@[^/]+$/.test(pkg.replace(/#.*$/, ''));
  if (pkg.endsWith('.whl') || pkg.endsWith('.tar.gz')) return true;
  if (pkg.includes('/')) return true;
  return false;
}

export default defineRule({
  code: 'DL3013', name: 'pip-pin-versions', family: 'hadolint', severity: 'warning',
  description: 'Pin versions in pip',
  url: hadolintUrl('DL3013'),
  format: () => 'Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`',
  examples: {
    bad: [{ source: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n' }],
    good: [{ source: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3 && pip install --no-cache-dir -r requirements.txt\n' }],
  },
  check(ctx, report) {
    for (const { script, args } of pipInstalls(ctx)) {
      const values = args.map((a) => a.value);
      if (values.some((v) => ['-r', '--requirement', '-c', '--constraint', '.'].includes(v) || v.startsWith('--requirement=') || v.startsWith('--constraint=') || /^-[rc]./.test(v))) continue;
      let skip = false;
      const bad = args.find((a) => {
        if (skip) { skip = false; return false; }
        if (VALUE_FLAGS.includes(a.value)) { skip = true; return false; }
        if (a.value.startsWith('-')) return false;
        return !pipPinned(a.value);
      });
      if (bad) report({ range: ctx.scriptRange(script, bad.start, bad.end), message: this.format() });
    }
  },
});
