import { defineRule, hadolintUrl } from '../rule';
import { cacheMountContaining, commandsNamed, shellRuns } from './helpers';
import { later } from './packages';

export default defineRule({
  code: 'DL3060', name: 'yarn-cache-clean', family: 'hadolint', severity: 'info',
  description: '`yarn cache clean` missing after `yarn install` was run.',
  url: hadolintUrl('DL3060'),
  format: () => '`yarn cache clean` missing after `yarn install` was run.',
  examples: { bad: [{ source: 'FROM node:20\nRUN yarn install --frozen-lockfile\n' }], good: [{ source: 'FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n' }] },
  check(ctx, report) {
    for (const { instr, script } of shellRuns(ctx)) {
      const stage = ctx.stageOf(instr);
      if (!stage || !ctx.isImageStage(stage) || cacheMountContaining(script, '.cache/yarn')) continue;
      for (const cmd of commandsNamed(script, 'yarn')) {
        if (cmd.args[0]?.value !== 'install') continue;
        const cleaned = later(script, cmd).some((c) => c.name === 'yarn' && c.args[0]?.value === 'cache' && c.args[1]?.value === 'clean');
        if (!cleaned) { report({ range: ctx.firstLine(instr), message: this.format() }); break; }
      }
    }
  },
});
