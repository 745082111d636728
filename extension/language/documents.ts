// One parse per document version. Hover, completion, symbols, definition, rename, folding and
// the lints all read the same LintContext (the builder's parser, in its recovering mode); the
// model the language features need is derived from it once, on first use. Only the latest
// version of each document is kept, and a closed document's entry is dropped. Pure (no vscode):
// the providers pass the URI, the version and a way to read the text; the parser is injected so
// a test can count parses.
import { LintContext } from '../../runtime/lint/context';
import { buildModel, type Model } from './model';

/** One version of an open document, as the cache needs it. */
export interface DocumentVersion {
  /** The document's URI, as a string: the cache key (with the version). */
  uri: string;
  version: number;
  /** Read only on a miss: getting a large document's text is not free. */
  text(): string;
  /** The file's base name, named in parse errors; "Dockerfile" for an untitled document. */
  file?: string;
}

export type Parser = (text: string, file: string) => LintContext;

export const parseDockerfileText: Parser = (text, file) => new LintContext(text, { file });

interface Entry { version: number; ctx: LintContext; model?: Model }

export class ParsedDocuments {
  private readonly byUri = new Map<string, Entry>();

  constructor(private readonly parse: Parser = parseDockerfileText) {}

  /** The parse of this exact version: made on the first request, reused until the version changes. */
  context(doc: DocumentVersion): LintContext {
    return this.entry(doc).ctx;
  }

  /** The language features' model of this version, built from the same parse. */
  model(doc: DocumentVersion): Model {
    const entry = this.entry(doc);
    entry.model ??= buildModel(entry.ctx);
    return entry.model;
  }

  /** Forgets a document (closed): its next request parses again. */
  drop(uri: string): void {
    this.byUri.delete(uri);
  }

  /** How many documents are held (one entry each, whatever their version). */
  get size(): number {
    return this.byUri.size;
  }

  private entry(doc: DocumentVersion): Entry {
    const hit = this.byUri.get(doc.uri);
    if (hit && hit.version === doc.version) return hit;
    // Another version replaces the entry: only the latest is ever asked for (a reopened
    // document starts again at version 1, which is why closing drops it).
    const entry: Entry = { version: doc.version, ctx: this.parse(doc.text(), doc.file ?? 'Dockerfile') };
    this.byUri.set(doc.uri, entry);
    return entry;
  }
}
