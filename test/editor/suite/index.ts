// The editor suite's entry point: VS Code's extension host loads out/test/index.js (this file,
// bundled by test/editor/build.mjs) and awaits run(). Every out/test/*.test.js beside it is a
// suite file (bundled from test/editor/suite/*.test.ts), so new files are picked up without
// editing this one.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import path from 'node:path';

// The driver (test/editor/run.mjs) prints what comes after BEGIN and parses the RESULTS line.
const BEGIN_MARKER = 'SLIPWAY_EDITOR_BEGIN';
const RESULTS_MARKER = 'SLIPWAY_EDITOR_RESULTS ';

export function run(): Promise<void> {
  // The driver narrows the run with SLIPWAY_EDITOR_GREP (passed via extensionEnvironment).
  const grep = process.env.SLIPWAY_EDITOR_GREP || undefined;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, grep });
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  console.log(BEGIN_MARKER);
  return new Promise((resolve, reject) => {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const runner = mocha.run((failures) => {
      // console.log reaches the driver through the workbench's codeAutomationLog hook.
      console.log(RESULTS_MARKER + JSON.stringify(counts));
      if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => { counts.passed += 1; });
    runner.on('fail', () => { counts.failed += 1; });
    runner.on('pending', () => { counts.skipped += 1; });
  });
}
