import { defineRule, hadolintUrl } from '../rule';
import { cacheMountCovers, commandsNamed, shellRuns, wordHit } from './helpers';
import { removes } from './packages';

export default defineRule({
  code: 'DL3009', name: 'apt-lists-cleanup', family: 'hadolint', severity: 'info',
  description: 'Delete the apt-get lists after installing something',
  url: hadolintUrl('DL3009'),
  format: () => 'Delete the apt-get lists after installing something',
  examples: {
    bad: [{ source: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends git=1:2.39.5-0+deb12u1\n' }],
    good: [
      { source: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends git=1:2.39.5-0+deb12u1 \\\n && rm -rf /var/lib/apt/lists/*\n' },
      { source: 'FROM debian:13\nRUN apt-get update; apt-get install -y --no-install-recommends git=1:2.47.3-0+deb13u1; apt-get dist-clean\n', note: 'apt-get dist-clean removes the lists' },
      { source: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install -y --no-install-recommends git=1:2.39.5-0+deb12u1\n', note: 'cache mounts keep the lists out of the layer' },
    ],
  },
  check(ctx, report) {
    for (const { instr, script } of shellRuns(ctx)) {
      const stage = ctx.stageOf(instr);
      // Builder stages used only through COPY --from never ship their layers.
      if (!stage || !ctx.isImageStage(stage)) continue;
      const update = commandsNamed(script, 'apt-get', 'apt', 'aptitude').find((c) => c.args.some((a) => a.value === 'update'));
      if (!update) continue;
      if (removes(script, '/var/lib/apt/lists')) continue;
      // `apt-get dist-clean` (apt ≥ 2.7, Debian trixie) removes the lists too.
      if (commandsNamed(script, 'apt-get', 'apt').some((c) => c.args.some((a) => a.value === 'dist-clean'))) continue;
      if (cacheMountCovers(script, '/var/lib/apt/lists') || (cacheMountCovers(script, '/var/lib/apt') && cacheMountCovers(script, '/var/cache/apt'))) continue;
      report(wordHit(ctx, script, update.nameWord, instr, this.format()));
    }
  },
});
