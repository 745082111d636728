// The shell word reader, table-driven: each script gives the listed commands as
// `name|arg|arg` rows (commands inside `$(…)`/backquotes prefixed with `$`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseShell } from '../../../runtime/shell/words';

const CASES: [string, string, string[], boolean?][] = [
  ['simple', 'apt-get install -y curl', ['apt-get|install|-y|curl']],
  ['&& || ; & and newlines', 'a 1 && b 2 || c; d &\ne', ['a|1', 'b|2', 'c', 'd', 'e']],
  ['quotes are removed, kept together', `echo "a b" 'c d' e\\ f "x"y`, ['echo|a b|c d|e f|xy']],
  ['$vars are kept literally', 'echo "$HOME" ${X:-1}', ['echo|$HOME|${X:-1}']],
  ['line continuation', 'apt-get install \\\n  -y \\\n  git', ['apt-get|install|-y|git']],
  ['comments end at newline', 'echo a # sudo rm -rf /\necho b', ['echo|a', 'echo|b']],
  ['a # inside a word is not a comment', 'echo a#b', ['echo|a#b']],
  ['redirection targets are not arguments', 'curl -o x url > /dev/null 2>&1 < in', ['curl|-o|x|url']],
  ['assignments before the name', 'DEBIAN_FRONTEND=noninteractive apt-get install x', ['apt-get|install|x']],
  ['pipes mark piped commands', 'curl -s u | sh', ['curl|-s|u', 'sh'], true],
  ['if/then/fi and for/do/done', 'if [ -f x ]; then cd /x; fi; for f in a b; do echo $f; done', ['[|-f|x|]', 'cd|/x', 'echo|$f'], false],
  ['case patterns are skipped', 'case "$a" in amd64|x86_64) echo x ;; *) exit 1 ;; esac; ls', ['echo|x', 'exit|1', 'ls'], false],
  ['subshells and groups', '(cd /x && make) || { echo fail; exit 1; }', ['cd|/x', 'make', 'echo|fail', 'exit|1']],
  ['command substitution is also parsed', 'wget -q "$(curl -s u)"', ['$curl|-s|u', 'wget|-q|$(curl -s u)']],
  ['backquotes are also parsed', 'echo `uname -m`', ['$uname|-m', 'echo|`uname -m`']],
  ['here-document bodies are skipped', 'cat <<EOF > /f\nsudo x\nEOF\necho done', ['cat', 'echo|done']],
  ['<<- strips tabs from the delimiter line', 'cat <<-END\n\tsudo\n\tEND\nls', ['cat', 'ls']],
  ['function definitions are not commands', 'f() { echo hi; }; f', ['echo|hi', 'f']],
  ['unterminated quote does not throw', 'echo "abc', ['echo|abc']],
  ['empty script', '', []],
];

for (const [name, script, want, pipe] of CASES) {
  test(`shell: ${name}`, () => {
    const r = parseShell(script);
    const got = r.commands.map((c) => `${c.nested ? '$' : ''}${[c.name, ...c.args.map((a) => a.value)].join('|')}`);
    assert.deepEqual(got, want);
    if (pipe !== undefined) assert.equal(r.hasPipe, pipe);
  });
}

test('shell: word offsets point at the raw text', () => {
  const s = 'apt-get  install "a b"';
  const w = parseShell(s).commands[0].args[1];
  assert.equal(s.slice(w.start, w.end), '"a b"');
});
