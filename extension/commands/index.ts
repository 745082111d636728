// One registration table for every command; one file per command beside it.
import * as vscode from 'vscode';
import type { Services } from '../services';

export function registerCommands(_context: vscode.ExtensionContext, _services: Services): void {}
