import { buildkitUrl, defineRule } from '../rule';

/** BuildKit's split of `[ip:]hostPort:containerPort[/proto]` (IPv6 ips keep their colons). */
export function splitPort(raw: string): { ip: string; hostPort: string; containerPort: string } {
  const parts = raw.split(':');
  const n = parts.length;
  const containerPort = parts[n - 1];
  if (n === 1) return { ip: '', hostPort: '', containerPort };
  if (n === 2) return { ip: '', hostPort: parts[0], containerPort };
  return { ip: parts.slice(0, n - 2).join(':'), hostPort: parts[n - 2], containerPort };
}

export default defineRule({
  code: 'ExposeInvalidFormat', name: 'ExposeInvalidFormat', family: 'buildkit', severity: 'warning',
  description: 'IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release',
  url: buildkitUrl('expose-invalid-format'),
  format: (port: string) => `EXPOSE instruction should not define an IP address or host-port mapping, found '${port}'`,
  examples: { bad: [{ source: 'FROM alpine\nEXPOSE 127.0.0.1:80:80\n' }], good: [{ source: 'FROM alpine\nEXPOSE 80\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('EXPOSE', false)) {
      for (const arg of instr.words) {
        const raw = arg.value;
        const { ip, hostPort, containerPort } = splitPort(raw);
        if (!ip && !hostPort) continue;
        report({ range: arg.range, message: this.format(raw), fixes: [{ title: `Expose only ${containerPort}`, edits: [{ range: arg.range, newText: containerPort }] }] });
      }
    }
  },
});
