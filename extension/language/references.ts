// Go to definition and rename for stage names and ARG/ENV variables. Pure; the providers in
// providers/definition.ts and providers/rename.ts adapt it to VS Code.
//
// Which occurrences belong together follows BuildKit's scoping (model.resolveVar): a use belongs
// to the declaration it resolves to; re-declarations of a name in one stage are one symbol; an
// `ARG name` without a default in a stage re-imports the global ARG and so joins it. Renaming
// `VERSION` in one stage therefore leaves an unrelated `VERSION` of another stage alone.
import { InvalidArgumentError } from '../../runtime/errors';
import { contains, resolveVar, stageByName, type Model, type Position, type Range, type Stage, type VarDecl } from './model';

export interface Edit { range: Range; newText: string }

type Target =
  | { kind: 'stage'; stage: Stage; range: Range }
  | { kind: 'variable'; name: string; decl?: VarDecl; range: Range };

export function targetAt(m: Model, p: Position): Target | undefined {
  const sdecl = m.stages.find((s) => s.nameRange && contains(s.nameRange, p));
  if (sdecl) return { kind: 'stage', stage: sdecl, range: sdecl.nameRange! };
  const sref = m.stageRefs.find((r) => contains(r.range, p));
  const named = sref && stageByName(m, sref.name);
  if (sref && named) return { kind: 'stage', stage: named, range: sref.range };
  const decl = m.decls.find((d) => contains(d.nameRange, p));
  if (decl) return { kind: 'variable', name: decl.name, decl, range: decl.nameRange };
  const ref = m.refs.find((r) => contains(r.range, p));
  if (ref) return { kind: 'variable', name: ref.name, decl: resolveVar(m, ref.name, ref.stage, ref.line), range: ref.range };
  return undefined;
}

/** Where the thing at `p` is declared: the stage's `AS name`, or the ARG/ENV that sets the variable. */
export function definitionAt(m: Model, p: Position): Range | undefined {
  const t = targetAt(m, p);
  if (!t) return undefined;
  if (t.kind === 'stage') return t.stage.nameRange;
  return t.decl?.nameRange;
}

/** The range to rename and its current text, or undefined when nothing renameable is there. */
export function prepareRename(m: Model, p: Position): { range: Range; placeholder: string } | undefined {
  const t = targetAt(m, p);
  if (!t || (t.kind === 'variable' && !t.decl)) return undefined;
  return { range: t.range, placeholder: t.kind === 'stage' ? t.stage.name! : t.name };
}

const STAGE_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function renameEdits(m: Model, p: Position, newName: string): Edit[] {
  const t = targetAt(m, p);
  if (!t) throw new InvalidArgumentError(`nothing to rename at line ${p.line + 1}, column ${p.character + 1}`);
  if (t.kind === 'stage') {
    if (!STAGE_NAME.test(newName)) throw new InvalidArgumentError(`invalid stage name "${newName}": use a letter, then letters, digits, "-", "_" or "."`);
    if (m.stages.some((s) => s !== t.stage && s.name?.toLowerCase() === newName.toLowerCase())) {
      throw new InvalidArgumentError(`a stage named "${newName}" already exists`);
    }
    const old = t.stage.name!.toLowerCase();
    const ranges = [t.stage.nameRange!, ...m.stageRefs.filter((r) => r.name.toLowerCase() === old).map((r) => r.range)];
    return ranges.map((range) => ({ range, newText: newName }));
  }
  if (!VAR_NAME.test(newName)) throw new InvalidArgumentError(`invalid variable name "${newName}": use letters, digits and "_", not starting with a digit`);
  if (!t.decl) throw new InvalidArgumentError(`"${t.name}" is not declared by an ARG or ENV in this Dockerfile`);
  const group = symbolGroup(m, t.decl);
  const ranges = [
    ...m.decls.filter((d) => group.has(symbolKey(d))).map((d) => d.nameRange),
    ...m.refs.filter((r) => {
      if (r.name !== t.name) return false;
      const d = resolveVar(m, r.name, r.stage, r.line);
      return d !== undefined && group.has(symbolKey(d));
    }).map((r) => r.range),
  ];
  return ranges.map((range) => ({ range, newText: newName }));
}

const symbolKey = (d: VarDecl): string => `${d.stage}:${d.name}`;

/** The declarations' keys that are one symbol with `decl` (see the header comment). */
function symbolGroup(m: Model, decl: VarDecl): Set<string> {
  const global = `-1:${decl.name}`;
  const same = m.decls.filter((d) => d.name === decl.name);
  // Stages that re-import the global ARG with a bare `ARG name`.
  const reimports = same.filter((d) => d.stage >= 0 && d.kind === 'ARG' && d.value === undefined).map(symbolKey);
  const key = symbolKey(decl);
  if (key === global || reimports.includes(key)) {
    // A stage that re-imports and then re-sets it with a value stays with the group too: it is
    // the same argument (`ARG V` then `ARG V=2` in one stage share one key anyway).
    return new Set([global, ...reimports]);
  }
  return new Set([key]);
}
