import { buildkitUrl, defineRule } from '../rule';
import { textOf } from './helpers';

export default defineRule({
  code: 'LegacyKeyValueFormat', name: 'LegacyKeyValueFormat', family: 'buildkit', severity: 'warning',
  description: 'Legacy key/value format with whitespace separator should not be used',
  url: buildkitUrl('legacy-key-value-format'),
  format: (instruction: string) => `"${instruction} key=value" should be used instead of legacy "${instruction} key value" format`,
  examples: {
    bad: [{ source: 'FROM alpine\nENV DEBIAN_FRONTEND noninteractive\n' }],
    good: [{ source: 'FROM alpine\nENV DEBIAN_FRONTEND=noninteractive\n' }],
  },
  check(ctx, report) {
    for (const instr of ctx.instrs) {
      if (instr.onbuild) continue;
      if (instr.keyword === 'ARG') {
        // `ARG name value` declares two ARGs to BuildKit, but it is almost always a legacy
        // `name value`; the rule's documentation lists it as bad.
        const args = instr.words;
        if (args.length === 2 && !args.some((a) => a.value.includes('='))) {
          const r = { start: args[0].range.end, end: args[1].range.start };
          report({ range: ctx.firstLine(instr), message: this.format(instr.keyword), fixes: [{ title: 'Use ARG key=value', edits: [{ range: r, newText: '=' }] }] });
        }
        continue;
      }
      if ((instr.keyword !== 'ENV' && instr.keyword !== 'LABEL')) continue;
      const props = instr.properties;
      const legacy = props.filter((p) => !p.assigned);
      if (legacy.length === 0) continue;
      const fixes = [];
      const p = legacy[0];
      const vr = p.valueRange;
      // Single-line `ENV key value`: quote the value (JSON quoting keeps spaces and `"`).
      if (props.length === 1 && vr && vr.start.line === vr.end.line) {
        const value = p.value ?? '';
        const quoted = /[\s"'\\$]/.test(value) ? JSON.stringify(value) : value;
        fixes.push({ title: `Use ${instr.keyword} key=value`, edits: [{ range: { start: p.nameRange.end, end: vr.end }, newText: `=${quoted}` }] });
      } else if (props.length === 1 && vr) {
        // Multi-line: keep the text as is inside quotes, as the rule's documentation shows.
        const raw = textOf(ctx, vr);
        if (!raw.includes('"')) fixes.push({ title: `Use ${instr.keyword} key="value"`, edits: [{ range: { start: p.nameRange.end, end: vr.end }, newText: `="${raw}"` }] });
      }
      report({ range: ctx.firstLine(instr), message: this.format(instr.keyword), fixes });
    }
  },
});
