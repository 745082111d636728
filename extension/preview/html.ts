// The HTML of the per-layer preview webview (pure, no vscode: the browser test loads the very
// same page). The Content-Security-Policy allows only our bundle, our style element (by a
// nonce made per load) and the webview's own resource origin; no inline handlers, no eval.
// https://code.visualstudio.com/api/extension-guides/webview#content-security-policy
import { randomBytes } from 'node:crypto';

export interface PreviewHtmlOptions {
  /** webview.cspSource: the origin resources are served from. */
  cspSource: string;
  /** The URI of dist/webview/layers.js as the webview sees it. */
  scriptUri: string;
  /** A fresh value per load; tests pass a fixed one. */
  nonce?: string;
  title?: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Styles use VS Code's theme variables so the preview follows the user's theme. */
const STYLE = `
body { padding: 0 12px 12px; color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
header h1 { font-size: 1.3em; display: flex; align-items: center; gap: 8px; margin: 12px 0 4px; }
header .facts, header .image { margin: 2px 0; color: var(--vscode-descriptionForeground); }
.ring { width: 16px; height: 16px; }
vscode-collapsible { margin: 2px 0; }
vscode-collapsible.selected { outline: 1px solid var(--vscode-focusBorder); }
vscode-collapsible.failed { border-left: 3px solid var(--vscode-errorForeground); }
vscode-collapsible.running { border-left: 3px solid var(--vscode-progressBar-background); }
vscode-collapsible.cached { opacity: 0.85; }
.deco { display: inline-flex; gap: 8px; align-items: center; white-space: nowrap; }
.counts { display: inline-flex; gap: 4px; font-family: var(--vscode-editor-font-family); }
.count.added, tr.added .kind { color: var(--vscode-gitDecoration-addedResourceForeground); }
.count.modified, tr.modified .kind { color: var(--vscode-gitDecoration-modifiedResourceForeground); }
.count.deleted, tr.deleted .kind { color: var(--vscode-gitDecoration-deletedResourceForeground); }
a { color: var(--vscode-textLink-foreground); }
pre.log { max-height: 24em; overflow: auto; margin: 4px 8px; padding: 6px; background: var(--vscode-textCodeBlock-background); font-family: var(--vscode-editor-font-family); white-space: pre-wrap; }
.error { color: var(--vscode-errorForeground); margin: 4px 8px; }
.build-error { border: 1px solid var(--vscode-inputValidation-errorBorder); padding: 6px; }
.cache-miss, .muted, .more { color: var(--vscode-descriptionForeground); margin: 4px 8px; }
table.changes { border-collapse: collapse; margin: 4px 8px; font-family: var(--vscode-editor-font-family); }
table.changes th { text-align: left; font-weight: normal; color: var(--vscode-descriptionForeground); padding: 0 8px 2px 0; }
table.changes td { padding: 0 8px 0 0; white-space: nowrap; }
table.changes .num { text-align: right; }
tr.deleted .path { text-decoration: line-through; }
`;

export function previewHtml(options: PreviewHtmlOptions): string {
  const nonce = options.nonce ?? makeNonce();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // Lit components style themselves with constructable stylesheets, which CSP does not gate;
    // our own rules come in the nonce'd <style>.
    `style-src ${options.cspSource} 'nonce-${nonce}'`,
    `font-src ${options.cspSource}`,
    `img-src ${options.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeAttr(options.title ?? 'Layers')}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${escapeAttr(options.scriptUri)}"></script>
</body>
</html>`;
}
