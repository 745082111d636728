// BuildKit's `Node.Dump()` text, the format of the parser corpus `result` files:
// one `(keyword ["--flag" ...] "arg" ...)` line per instruction, Go string quoting.
import type { Node, ParsedDockerfile } from './syntax.js';

export function dump(parsed: ParsedDockerfile): string {
  return parsed.nodes.map((n) => `(${dumpNode(n)})`).join('\n') + '\n';
}

export function dumpNode(node: Node): string {
  let s = node.keyword;
  if (node.flags.length > 0) s += ` [${node.flags.map(goQuote).join(' ')}]`;
  if (node.sub) s += ` (${dumpNode(node.sub)})`;
  for (const a of node.args) s += ' ' + goQuote(a);
  return s.trim();
}

const NAMED: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** Go's strconv.Quote: printable runes as they are, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (NAMED[ch]) out += NAMED[ch];
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(ch) || (/\p{Zs}/u.test(ch) && ch !== ' ')) {
      out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}
