// The Dockerfile front end: text → BuildKit-shaped nodes → typed instructions, and the
// shell-word expander. The build plan (runtime/build/plan) consumes these.
export { parseDockerfile, type ParsedDockerfile, type Node, type Heredoc, type Directives, type Warning } from './syntax.js';
export { dump, dumpNode, goQuote } from './dump.js';
export {
  parseInstructions, toInstruction, referencedVariables, parseGoDuration,
  type Dockerfile, type Instruction, type InstructionKind, type CommandLine, type LocatedVariable,
} from './instructions.js';
export {
  expand, expandWord, expandWords, lookupIn, variableReferences, ShellExpansionError,
  type Lookup, type LexOptions, type Expansion, type VariableReference,
} from './shell/lex.js';
