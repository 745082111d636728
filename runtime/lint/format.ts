// Report formats for lint findings: text (hadolint's `FILE:LINE CODE severity: message`),
// JSON (hadolint's `--format json` fields plus ours), and SARIF 2.1.0 for code-scanning UIs
// (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html).
import { RULES } from './registry';
import type { Finding, Severity } from './types';

export interface FileFindings { file: string; findings: Finding[] }

/** hadolint's words for our severities (`hint` is hadolint's `style`). */
export const SEVERITY_WORD: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'style' };

export function formatText(results: FileFindings[]): string {
  const lines: string[] = [];
  for (const { file, findings } of results) {
    for (const f of findings) lines.push(`${file}:${f.range.start.line + 1} ${f.code} ${SEVERITY_WORD[f.severity]}: ${f.message}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export function formatJson(results: FileFindings[]): string {
  const rows = results.flatMap(({ file, findings }) => findings.map((f) => ({
    file, line: f.range.start.line + 1, column: f.range.start.character + 1,
    endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1,
    code: f.code, level: SEVERITY_WORD[f.severity], message: f.message, url: f.url,
  })));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function toSarif(results: FileFindings[], version: string): object {
  // Only the rules that appear, in registry order, so ruleIndex is stable for a given input.
  const used = new Set(results.flatMap((r) => r.findings.map((f) => f.code)));
  const rules = RULES.filter((r) => used.has(r.code));
  const index = new Map(rules.map((r, i) => [r.code, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'slipway-lint', version,
          rules: rules.map((r) => ({
            id: r.code, name: r.name, shortDescription: { text: r.description }, helpUri: r.url,
            defaultConfiguration: { level: r.severity === 'off' ? 'none' : SARIF_LEVEL[r.severity] },
            properties: { family: r.family },
          })),
        },
      },
      results: results.flatMap(({ file, findings }) => findings.map((f) => ({
        ruleId: f.code,
        ruleIndex: index.get(f.code),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: file },
            // SARIF lines and columns are 1-based; ours are 0-based like the editor's.
            region: { startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 },
          },
        }],
      }))),
    }],
  };
}

export function formatSarif(results: FileFindings[], version: string): string {
  return `${JSON.stringify(toSarif(results, version), null, 2)}\n`;
}
