// Conversions between the pure helpers' plain ranges and VS Code's classes, and between a
// TextDocument and the per-version parse cache that hover, completion, symbols… and the lints share.
import path from 'node:path';
import * as vscode from 'vscode';
import type { DocumentVersion, ParsedDocuments } from '../documents';
import type { Model, Position, Range } from '../model';

export const DOCKERFILE: vscode.DocumentSelector = { language: 'dockerfile' };

export const toRange = (r: Range): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
export const fromRange = (r: vscode.Range): Range => ({ start: fromPosition(r.start), end: fromPosition(r.end) });
export const fromPosition = (p: vscode.Position): Position => ({ line: p.line, character: p.character });

/** A document as the per-version parse cache sees it (ParsedDocuments, ../documents.ts). */
export function versionOf(doc: vscode.TextDocument): DocumentVersion {
  return {
    uri: doc.uri.toString(),
    version: doc.version,
    text: () => doc.getText(),
    // The name lint messages use for this file (as lintOptionsFor gives it).
    file: doc.uri.scheme === 'file' ? path.basename(doc.uri.fsPath) : undefined,
  };
}

/** The language features' model of the document's current version: one parse per version. */
export const modelOf = (documents: ParsedDocuments, doc: vscode.TextDocument): Model => documents.model(versionOf(doc));
