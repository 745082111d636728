// Conversions between the pure helpers' plain ranges and VS Code's classes, and a per-version
// model cache so hover, completion, symbols… share one parse per document version.
import * as vscode from 'vscode';
import { buildModel, type Model, type Position, type Range } from '../model';

export const DOCKERFILE: vscode.DocumentSelector = { language: 'dockerfile' };

export const toRange = (r: Range): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
export const fromRange = (r: vscode.Range): Range => ({ start: fromPosition(r.start), end: fromPosition(r.end) });
export const fromPosition = (p: vscode.Position): Position => ({ line: p.line, character: p.character });

const cache = new WeakMap<vscode.TextDocument, { version: number; model: Model }>();

export function modelOf(doc: vscode.TextDocument): Model {
  const hit = cache.get(doc);
  if (hit && hit.version === doc.version) return hit.model;
  const model = buildModel(doc.getText());
  cache.set(doc, { version: doc.version, model });
  return model;
}
