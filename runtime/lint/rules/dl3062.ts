import { defineRule, hadolintUrl } from '../rule';
import { installs } from './packages';

export default defineRule({
  code: 'DL3062', name: 'go-pin-versions', family: 'hadolint', severity: 'warning',
  description: 'Pin versions in go install',
  url: hadolintUrl('DL3062'),
  format: () => 'Pin versions in go install. Instead of `go install <package>` use `go install <package>@<version>`',
  examples: { bad: [{ source: 'FROM golang:1.22\nRUN go install example.com/tools/cmd/gen@latest\n' }], good: [{ source: 'FROM golang:1.22\nRUN go install example.com/tools/cmd/gen@v1.4.2 && go install ./cmd/server\n' }] },
  check(ctx, report) {
    for (const { script, packages } of installs(ctx, ['go'], ['install', 'get', 'run'], ['-o', '-C', '-p', '-tags', '-ldflags', '-gcflags', '-mod', '-modfile', '-exec', '-toolexec', '-asmflags', '-pkgdir', '-overlay', '-pgo'])) {
      const bad = packages.find((p) => {
        const v = p.value;
        if (v === '.' || v.startsWith('./') || v.startsWith('../') || v.startsWith('/') || v.includes('$') || v.endsWith('.go') || v === '...') return false;
        const at = v.lastIndexOf('@');
        if (at < 0) return v.includes('.') && v.includes('/'); // a module path without a version
        const ver = v.slice(at + 1);
        return ver === 'latest' || ver === 'none' || ver === '';
      });
      if (bad) report({ range: ctx.scriptRange(script, bad.start, bad.end), message: this.format() });
    }
  },
});
