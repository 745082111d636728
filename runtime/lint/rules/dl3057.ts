import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3057', name: 'healthcheck-missing', family: 'hadolint', severity: 'off',
  description: '`HEALTHCHECK` instruction missing.',
  url: hadolintUrl('DL3057'),
  format: () => '`HEALTHCHECK` instruction missing.',
  examples: { bad: [{ source: 'FROM nginx:1.27.0\nCOPY site/ /usr/share/nginx/html/\n' }], good: [{ source: 'FROM nginx:1.27.0\nHEALTHCHECK CMD curl -fs http://localhost/ || exit 1\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const has = ctx.lineage(stage).some((s) => s.instrs.some((i) => i.keyword === 'HEALTHCHECK'));
      if (!has) report({ range: ctx.firstLine(stage.from), message: this.format() });
    }
  },
});
