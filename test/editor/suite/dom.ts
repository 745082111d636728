// Reads the workbench's DOM from a test: the extension host cannot see it, so the test asks
// the driver (test/editor/run.mjs) with a marker line and the driver writes the text of the
// matching elements to a file this side polls. Used for what the VS Code API does not expose,
// such as the scopes in the "Inspect Editor Tokens and Scopes" widget.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let requests = 0;

/** innerText of every element matching `selector`, one per line ('' when none matches). */
export async function domText(selector: string, timeoutMs = 5_000): Promise<string> {
  const out = path.join(os.tmpdir(), `slipway-dom-${process.pid}-${requests++}.txt`);
  console.log(`SLIPWAY_DOM_TEXT ${JSON.stringify({ selector, out })}`);
  const end = Date.now() + timeoutMs;
  while (!existsSync(out)) {
    if (Date.now() > end) throw new Error(`the editor test driver did not answer a DOM request for ${selector} within ${timeoutMs} ms (only test/editor/run.mjs answers them)`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const text = readFileSync(out, 'utf8');
  rmSync(out, { force: true });
  return text;
}
