// Hover content for a position: instruction docs, flag docs, variables with the value they
// resolve to at that line, and stage names. Pure; providers/hover.ts adapts it to VS Code.
import { flagDoc, flagMarkdown, instructionDoc, instructionMarkdown } from './docs';
import { contains, instructionAt, resolveVar, resolvedValue, stageAt, stageByName, type Model, type Position, type Range } from './model';

export interface HoverResult { markdown: string; range: Range }

export function hoverAt(m: Model, p: Position): HoverResult | undefined {
  const instr = instructionAt(m, p.line);
  if (!instr) return undefined;
  const kwRange = instr.keywordRange;
  if (contains(kwRange, p)) {
    const d = instructionDoc(instr.keyword);
    return d && { markdown: instructionMarkdown(d), range: kwRange };
  }
  for (const f of instr.flags) {
    const nameRange = f.nameRange;
    const whole = { start: { line: nameRange.start.line, character: Math.max(0, nameRange.start.character - 2) }, end: nameRange.end };
    if (contains(whole, p)) {
      const d = flagDoc(instr.keyword, f.name);
      return d && { markdown: flagMarkdown(instr.keyword, d), range: whole };
    }
  }
  const stage = stageAt(m, p.line);
  const ref = m.refs.find((r) => contains(r.range, p));
  if (ref) return { markdown: variableMarkdown(m, ref.name, stage, ref.line), range: ref.range };
  const decl = m.decls.find((d) => contains(d.nameRange, p));
  // A declaration shows the value it sets (resolved as seen just below it).
  if (decl) return { markdown: variableMarkdown(m, decl.name, decl.stage, decl.line + 1), range: decl.nameRange };
  const sref = m.stageRefs.find((r) => contains(r.range, p));
  const sdecl = m.stages.find((s) => s.nameRange && contains(s.nameRange, p));
  const target = sdecl ?? (sref && stageByName(m, sref.name));
  if (target) {
    return {
      markdown: `**stage \`${target.name}\`** (#${target.index}, line ${target.from.range.start.line + 1}) — \`FROM ${target.image}\``,
      range: sdecl?.nameRange ?? sref!.range,
    };
  }
  return undefined;
}

export function variableMarkdown(m: Model, name: string, stage: number, line: number): string {
  const d = resolveVar(m, name, stage, line);
  if (!d) return `**\`$${name}\`** — not set by this Dockerfile (it may come from the base image or \`--build-arg\`)`;
  const value = resolvedValue(m, name, stage, line);
  const where = `${d.kind} on line ${d.line + 1}${d.stage === -1 ? ' (global build argument)' : ''}`;
  const shown = value === undefined ? '*(no default: set with `--build-arg`)*' : `\`${value.replace(/`/g, '\\`')}\``;
  return `**\`$${name}\`** = ${shown}\n\nfrom ${where}`;
}
