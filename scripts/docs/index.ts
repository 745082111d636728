// Every generated page under docs/, as path → content, computed in memory. scripts/gen-docs.ts
// writes them; test/unit/docs/generated.test.ts compares them with the committed files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { commands } from '../../runtime/cli/commands';
import { renderRuleDocs } from '../../runtime/lint/docs';
import { renderCliDocs } from './cli';
import { renderExtensionDocs, type Manifest } from './extension';

export const REPO_ROOT = path.join(__dirname, '..', '..');

/** Paths relative to the repository root. */
export function generatedDocs(root = REPO_ROOT): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
  return new Map([
    ['docs/rules.md', renderRuleDocs()],
    ['docs/cli.md', renderCliDocs(commands)],
    ['docs/extension.md', renderExtensionDocs(manifest)],
  ]);
}
