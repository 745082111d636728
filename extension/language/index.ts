// Dockerfile language features: diagnostics, quick fixes, hover, completion, symbols.
import * as vscode from 'vscode';
import type { Services } from '../services';

export function registerLanguageFeatures(_context: vscode.ExtensionContext, _services: Services): void {}
