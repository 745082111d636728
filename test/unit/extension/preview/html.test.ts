import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNonce, previewHtml } from '../../../../extension/preview/html';

test('the preview page: strict CSP with the nonce on the script and style, nothing else allowed', () => {
  const html = previewHtml({ cspSource: 'vscode-webview://abc', scriptUri: 'vscode-webview://abc/dist/webview/layers.js', nonce: 'N0nce' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-N0nce'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(html, /<script nonce="N0nce" src="vscode-webview:\/\/abc\/dist\/webview\/layers.js"><\/script>/);
  assert.match(html, /<style nonce="N0nce">/);
  assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script: the bundle');
  assert.doesNotMatch(html, /\son\w+=/, 'no inline handlers');
});

test('a fresh nonce per load; titles and URIs are escaped', () => {
  assert.notEqual(makeNonce(), makeNonce());
  assert.match(makeNonce(), /^[\w-]{24}$/);
  const html = previewHtml({ cspSource: 'x', scriptUri: 'a"b', title: '<img src=x>' });
  assert.match(html, /src="a&quot;b"/);
  assert.match(html, /<title>&lt;img src=x><\/title>/);
});
