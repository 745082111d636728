// Types for syntaxes/grammar.mjs (a plain script so it runs without a build step).
/** The Dockerfile TextMate grammar as a JSON-serialisable object. */
export function buildGrammar(): Record<string, unknown>;
