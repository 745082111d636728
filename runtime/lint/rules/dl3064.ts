import { defineRule, hadolintUrl } from '../rule';

// Well-known secret variable names, compared upper-cased.
const KNOWN = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AZURE_CLIENT_SECRET', 'GITHUB_TOKEN', 'GH_TOKEN', 'GITLAB_TOKEN',
  'NPM_TOKEN', 'NPM_AUTH_TOKEN', 'PYPI_TOKEN', 'DOCKER_PASSWORD', 'DOCKERHUB_TOKEN', 'POSTGRES_PASSWORD', 'MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD',
  'MONGO_INITDB_ROOT_PASSWORD', 'REDIS_PASSWORD', 'SECRET_KEY', 'SECRET_KEY_BASE', 'JWT_SECRET', 'SLACK_TOKEN', 'SENTRY_AUTH_TOKEN', 'GOOGLE_APPLICATION_CREDENTIALS',
  'API_KEY', 'STRIPE_SECRET_KEY', 'TWILIO_AUTH_TOKEN', 'SONAR_TOKEN', 'CODECOV_TOKEN', 'HEROKU_API_KEY', 'DATABASE_PASSWORD', 'DB_PASSWORD']);
const FRAGMENTS = ['password', 'secret', 'token', 'api_key', 'client_key', 'private', 'username'];

export function hadolintSecret(name: string): boolean {
  return KNOWN.has(name.toUpperCase()) || FRAGMENTS.some((f) => name.toLowerCase().includes(f));
}

export default defineRule({
  code: 'DL3064', name: 'secret-in-arg-or-env', family: 'hadolint', severity: 'warning', sameAs: 'SecretsUsedInArgOrEnv',
  description: 'Sensitive data should not be passed through ARG or ENV',
  url: hadolintUrl('DL3064'),
  format: (instruction: string, name: string) => `Possible sensitive data in ${instruction} \`${name}\`; use a build secret (RUN --mount=type=secret) instead`,
  examples: { bad: [{ source: 'FROM alpine:3.20\nARG DEPLOY_TOKEN\nENV DB_PASSWORD=changeme\n' }], good: [{ source: 'FROM alpine:3.20\nARG APP_VERSION=1.0.0\nENV LOG_LEVEL=info\n' }] },
  check(ctx, report) {
    for (const instr of ctx.instrs) {
      if (instr.onbuild || (instr.keyword !== 'ARG' && instr.keyword !== 'ENV')) continue;
      const names = instr.keyword === 'ENV' && instr.args.length === 2 && !instr.args[0].includes('=') ? [instr.args[0]] : instr.args.map((a) => a.split('=')[0]);
      const bad = names.find(hadolintSecret);
      if (bad) report({ range: ctx.firstLine(instr), message: this.format(instr.keyword, bad) });
    }
  },
});
