// One parse per document version: the language features' model and the lints read the same
// LintContext, made on the first request for a version, made again for a new version, and
// forgotten when the document closes. Parses are counted through an injected parser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../../../runtime/lint/index';
import { LintContext } from '../../../../runtime/lint/context';
import { ParsedDocuments, type DocumentVersion } from '../../../../extension/language/documents';
import { completionsAt } from '../../../../extension/language/completion';
import { foldingRanges } from '../../../../extension/language/folding';
import { hoverAt } from '../../../../extension/language/hover';
import { buildModel } from '../../../../extension/language/model';
import { documentSymbols } from '../../../../extension/language/symbols';

const V1 = 'ARG BASE=alpine:3.20\nFROM ${BASE} AS build\nRUN apk add curl\nFROM build\nCMD make\n';
const V2 = `${V1}ENV GREETING=hi\n`;

/** A counting parser, and an open document whose text and version a test changes. */
function setup() {
  const parses: { text: string; file: string }[] = [];
  const documents = new ParsedDocuments((text, file) => { parses.push({ text, file }); return new LintContext(text, { file }); });
  let reads = 0;
  const doc = { uri: 'file:///w/Dockerfile', version: 1, content: V1, file: 'Dockerfile' };
  const version = (): DocumentVersion => ({ uri: doc.uri, version: doc.version, file: doc.file, text: () => { reads++; return doc.content; } });
  return { documents, parses, doc, version, reads: () => reads };
}

/** Everything the editor asks of one version: each language feature, then a lint (diagnostics). */
function everyFeature(documents: ParsedDocuments, v: () => DocumentVersion): void {
  const pos = { line: 3, character: 6 };
  hoverAt(documents.model(v()), pos);
  completionsAt(documents.model(v()), pos, []);
  documentSymbols(documents.model(v()));
  foldingRanges(documents.model(v()));
  lint(documents.context(v()), { config: { severities: { DL3018: 'error' } } });
  lint(documents.context(v()), {});
}

test('one version: every feature and two lints under different options share one parse', () => {
  const { documents, parses, version, reads } = setup();
  everyFeature(documents, version);
  everyFeature(documents, version);
  assert.deepEqual(parses, [{ text: V1, file: 'Dockerfile' }]);
  // The text itself is read only for that one parse (getText of a large document is not free).
  assert.equal(reads(), 1);
  assert.equal(documents.model(version()), documents.model(version()));
});

test('a new version parses again, once; asking again for it does not', () => {
  const { documents, parses, doc, version } = setup();
  everyFeature(documents, version);
  const before = documents.context(version());
  doc.version = 2;
  doc.content = V2;
  everyFeature(documents, version);
  everyFeature(documents, version);
  assert.deepEqual(parses.map((p) => p.text), [V1, V2]);
  assert.notEqual(documents.context(version()), before);
  // What the features see is the new text: the ENV added in version 2 is in the model.
  assert.deepEqual(documents.model(version()).decls.map((d) => d.name), ['BASE', 'GREETING']);
  assert.equal(documents.size, 1, 'only the latest version of a document is kept');
});

test('closing forgets the document; other documents keep their parse', () => {
  const { documents, parses, version } = setup();
  const other: DocumentVersion = { uri: 'file:///w/other/Dockerfile', version: 7, text: () => 'FROM scratch\n' };
  documents.model(version());
  documents.model(other);
  assert.equal(documents.size, 2);
  documents.drop(version().uri);
  assert.equal(documents.size, 1);
  // Reopened, it starts again at version 1: parsed afresh, not served from before the close.
  documents.context(version());
  documents.context(other);
  assert.deepEqual(parses.map((p) => p.text), [V1, 'FROM scratch\n', V1]);
  // An untitled document (no file) is named as the CLI names stdin: "Dockerfile".
  assert.equal(parses[1].file, 'Dockerfile');
});

test('the lints and the model are those of the cached parse, equal to parsing the text afresh', () => {
  const { documents, version } = setup();
  const options = { config: { severities: { DL3018: 'error' as const } } };
  assert.deepEqual(lint(documents.context(version()), options), lint(V1, options));
  const model = documents.model(version());
  const fresh = buildModel(V1);
  assert.deepEqual(documentSymbols(model), documentSymbols(fresh));
  assert.deepEqual(foldingRanges(model), foldingRanges(fresh));
  assert.deepEqual(hoverAt(model, { line: 1, character: 8 }), hoverAt(fresh, { line: 1, character: 8 }));
  // The model is built on the very context the lints read.
  assert.equal(model.instructions[0], documents.context(version()).instrs[0]);
});
