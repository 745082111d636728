// The label-schema value checks (DL3051–DL3058) differ only in the type they check and the
// message; this builds each rule module's `check` from a predicate.
import type { LintContext } from '../context';
import type { RuleHit } from '../rule';
import { labelPairs } from './labels';

export function checkLabelValues(ctx: LintContext, report: (hit: RuleHit) => void, type: string, valid: (v: string) => boolean, message: (label: string) => string): void {
  const schema = ctx.config.labelSchema;
  if (!schema) return;
  for (const p of labelPairs(ctx)) {
    if (schema[p.key] !== type || p.value === '' || p.value.includes('$')) continue;
    if (!valid(p.value)) report({ range: p.range, message: message(p.key) });
  }
}

export const isUrl = (v: string): boolean => /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/.test(v) && (() => { try { new URL(v); return true; } catch { return false; } })();
export const isRfc3339 = (v: string): boolean => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v));
export const isGitHash = (v: string): boolean => /^([0-9a-f]{7}|[0-9a-f]{40})$/.test(v);
export const isSemver = (v: string): boolean => /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/.test(v);
export const isEmail = (v: string): boolean => /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(v);

// The SPDX identifiers seen in container images; compound expressions (AND/OR/WITH) are split.
const SPDX = new Set(['0BSD', 'AGPL-3.0', 'AGPL-3.0-only', 'AGPL-3.0-or-later', 'Apache-1.1', 'Apache-2.0', 'Artistic-2.0', 'BSD-1-Clause', 'BSD-2-Clause',
  'BSD-3-Clause', 'BSD-4-Clause', 'BSL-1.0', 'CC-BY-4.0', 'CC-BY-SA-4.0', 'CC0-1.0', 'CDDL-1.0', 'CDDL-1.1', 'EPL-1.0', 'EPL-2.0', 'EUPL-1.2', 'GPL-2.0',
  'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0', 'GPL-3.0-only', 'GPL-3.0-or-later', 'ISC', 'LGPL-2.0', 'LGPL-2.1', 'LGPL-2.1-only', 'LGPL-2.1-or-later',
  'LGPL-3.0', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'MIT', 'MIT-0', 'MPL-1.1', 'MPL-2.0', 'MS-PL', 'NCSA', 'OpenSSL', 'PHP-3.01', 'PostgreSQL', 'Python-2.0',
  'Ruby', 'Unlicense', 'UPL-1.0', 'Vim', 'W3C', 'WTFPL', 'X11', 'Zlib', 'ZPL-2.1', 'Classpath-exception-2.0', 'LLVM-exception', 'proprietary']);
export const isSpdx = (v: string): boolean => v.replace(/[()]/g, ' ').split(/\s+(?:AND|OR|WITH)\s+|\s+/).filter(Boolean).every((id) => SPDX.has(id.replace(/\+$/, '')) || id.startsWith('LicenseRef-'));
