import { defineRule, hadolintUrl } from '../rule';
import { cacheMountContaining } from './helpers';
import { pipInstalls } from './pip';

const TRUTHY = /^(1|true|True|TRUE|on|On|ON|yes|Yes|YES)$/;

export default defineRule({
  code: 'DL3042', name: 'pip-no-cache-dir', family: 'hadolint', severity: 'warning',
  description: 'Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`',
  url: hadolintUrl('DL3042'),
  format: () => 'Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`',
  examples: {
    bad: [{ source: 'FROM python:3.12-slim\nRUN pip install flask==3.0.3\n' }],
    good: [{ source: 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.3\n' }, { source: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.3\n' }],
  },
  check(ctx, report) {
    for (const { instr, script, cmd } of pipInstalls(ctx)) {
      if (cmd.args.some((a) => a.value === '--no-cache-dir') || cacheMountContaining(script, '.cache/pip')) continue;
      if (cmd.assignments.some((a) => /^PIP_NO_CACHE_DIR=/.test(a.value) && TRUTHY.test(a.value.split('=')[1]))) continue;
      const stage = ctx.stageOf(instr);
      const envSet = stage && ctx.lineage(stage).some((s) => s.instrs.some((i) => i.keyword === 'ENV' && (s !== stage || i.range.start.line < instr.range.start.line)
        && i.properties.some((p) => p.name === 'PIP_NO_CACHE_DIR' && TRUTHY.test(p.value ?? ''))));
      if (envSet) continue;
      const install = cmd.args.find((a) => a.value === 'install');
      const fixes = install ? [{ title: 'Add --no-cache-dir', edits: [{ range: { start: ctx.scriptRange(script, install.end, install.end).start, end: ctx.scriptRange(script, install.end, install.end).start }, newText: ' --no-cache-dir' }] }] : [];
      report({ range: ctx.scriptRange(script, cmd.start, cmd.nameWord?.end ?? cmd.end), message: this.format(), fixes });
    }
  },
});
