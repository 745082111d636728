import { buildkitUrl, defineRule } from '../rule';

// BuildKit's lists: a name is a secret when one of its `_`-separated words is a secret token,
// unless one of them is an allowed token (`PUBLIC_KEY`, `KEY_FILE`, `TOKEN_VERSION`).
const DENY = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const ALLOW = /(?:_|^)(?:public|file|version)(?:_|$)/i;

export function looksSecret(name: string): boolean {
  return DENY.test(name) && !ALLOW.test(name);
}

export default defineRule({
  code: 'SecretsUsedInArgOrEnv', name: 'SecretsUsedInArgOrEnv', family: 'buildkit', severity: 'warning',
  description: 'Sensitive data should not be used in the ARG or ENV commands',
  url: buildkitUrl('secrets-used-in-arg-or-env'),
  format: (instruction: string, key: string) => `Do not use ARG or ENV instructions for sensitive data (${instruction} ${JSON.stringify(key)})`,
  examples: {
    bad: [{ source: 'FROM alpine\nARG AWS_SECRET_ACCESS_KEY\n' }],
    good: [{ source: 'FROM alpine\nRUN --mount=type=secret,id=aws,env=AWS_SECRET_ACCESS_KEY aws s3 ls\n' }, { source: 'FROM alpine\nARG GPG_KEY_FILE\n' }],
  },
  check(ctx, report) {
    for (const instr of ctx.instrs) {
      if (instr.onbuild || (instr.keyword !== 'ARG' && instr.keyword !== 'ENV')) continue;
      for (const p of instr.properties) {
        const key = p.name;
        if (looksSecret(key)) report({ range: p.nameRange, message: this.format(instr.keyword, key) });
      }
    }
  },
});
