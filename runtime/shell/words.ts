// A small POSIX-shell reader for lint rules that look into RUN commands (apt-get, pip, curl…).
// It is not an interpreter: it splits a script into simple commands and their words, the way
// the shell would see them before expansion, so a rule can ask "is there an `apt-get install`
// and does it have `-y`?" without regexes fooled by quotes, `&&`, pipes or comments.
//
// What it understands (POSIX "Shell Command Language", XCU chapter 2): quoting ('…', "…",
// backslash), line continuations, comments, the operators && || ; ;; | |& & ( ) and newlines,
// redirections (their targets are not arguments), here-documents inside the script (their
// bodies are skipped), `$(…)`, `${…}` and backquotes (kept inside the word; the commands of
// `$(…)` and backquotes are also reported, marked `nested`), reserved words (if/then/do/…,
// `for x in …`, `case … in` patterns) and leading `NAME=value` assignments.
// Words keep their offsets in the script so that fixes can edit the exact text.

export interface Word {
  /** The word after quote removal; `$VAR` and `$(…)` are kept literally (no expansion). */
  value: string;
  /** Offsets of the raw word in the script, end exclusive. */
  start: number;
  end: number;
}

export interface SimpleCommand {
  /** The command name (`apt-get`), after quote removal; '' for an assignment-only command. */
  name: string;
  /** Arguments after the name. */
  args: Word[];
  /** `NAME=value` words before the name. */
  assignments: Word[];
  /** The name's word, when there is one. */
  nameWord?: Word;
  start: number;
  end: number;
  /** The operator that ended this command: '&&', '||', ';', '|', '&', '\n' or '' at the end. */
  next: string;
  /** True when the command's output is piped into the next one (`a | b`). */
  piped: boolean;
  /** True for commands found inside `$(…)` or backquotes. */
  nested: boolean;
}

export interface ShellScript {
  commands: SimpleCommand[];
  /** True when any pipeline (`|` or `|&`) exists at the top level or in a substitution. */
  hasPipe: boolean;
}

const OPENERS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const CLOSERS = new Set(['fi', 'done', '}']);

/** Parses a shell script into its simple commands, in source order. Never throws. */
export function parseShell(script: string): ShellScript {
  const out: ShellScript = { commands: [], hasPipe: false };
  new Reader(script, 0, script.length, out, false).run();
  return out;
}

/** Convenience: the arguments' values. */
export function argValues(cmd: SimpleCommand): string[] {
  return cmd.args.map((a) => a.value);
}

type Token =
  | { kind: 'word'; word: Word }
  | { kind: 'op'; op: string; start: number; end: number };

class Reader {
  private pos: number;
  private pendingHeredocs: { delim: string; strip: boolean }[] = [];

  constructor(
    private readonly s: string,
    start: number,
    private readonly limit: number,
    private readonly out: ShellScript,
    private readonly nested: boolean,
  ) {
    this.pos = start;
  }

  run(): void {
    let words: Word[] = [];
    let cmdStart = -1;
    let skipUntilSeparator = false; // inside `for x in …` / `case … in`
    let inCase = 0;
    const flush = (op: string): void => {
      if (words.length > 0) this.emit(words, cmdStart, op);
      words = [];
      cmdStart = -1;
      skipUntilSeparator = false;
    };
    for (;;) {
      // A case pattern such as `x|y)` or `*)` at the start of a command.
      if (inCase > 0 && words.length === 0 && !skipUntilSeparator) this.skipCasePattern();
      const tok = this.next();
      if (tok === undefined) { flush(''); return; }
      if (tok.kind === 'op') {
        if (tok.op === '|' || tok.op === '|&') this.out.hasPipe = true;
        if (tok.op === 'redir') continue;
        flush(tok.op);
        continue;
      }
      const w = tok.word;
      if (skipUntilSeparator) {
        if (w.value === 'in' && inCase > 0) skipUntilSeparator = false;
        continue;
      }
      // `name() { …; }`: a function definition; its body's commands follow as usual.
      if (words.length === 1 && w.value === '()') { words = []; cmdStart = -1; continue; }
      if (words.length === 0) {
        if (w.value === 'esac') { inCase = Math.max(0, inCase - 1); continue; }
        if (OPENERS.has(w.value) || CLOSERS.has(w.value)) continue;
        if (w.value === 'for' || w.value === 'select') { skipUntilSeparator = true; continue; }
        if (w.value === 'case') { skipUntilSeparator = true; inCase++; continue; }
        cmdStart = w.start;
      }
      words.push(w);
    }
  }

  /** Consumes `pat|pat)` when it is there; leaves the position alone otherwise. */
  private skipCasePattern(): void {
    const save = this.pos;
    for (;;) {
      while (this.pos < this.limit && /[ \t\r\n;]/.test(this.s[this.pos])) this.pos++;
      if (this.s[this.pos] === '(') this.pos++;
      const w = this.readWord();
      if (!w || w.value === 'esac') { this.pos = save; return; }
      while (this.pos < this.limit && (this.s[this.pos] === ' ' || this.s[this.pos] === '\t')) this.pos++;
      const c = this.s[this.pos];
      if (c === ')') { this.pos++; return; }
      if (c === '|') { this.pos++; continue; }
      this.pos = save;
      return;
    }
  }

  private emit(words: Word[], start: number, op: string): void {
    let i = 0;
    const assignments: Word[] = [];
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].value)) assignments.push(words[i++]);
    const nameWord = words[i];
    this.out.commands.push({
      name: nameWord?.value ?? '',
      nameWord,
      args: words.slice(i + 1),
      assignments,
      start,
      end: words[words.length - 1].end,
      next: op,
      piped: op === '|' || op === '|&',
      nested: this.nested,
    });
  }

  /** The next token, or undefined at the end. Skips blanks, comments and heredoc bodies. */
  private next(): Token | undefined {
    const s = this.s;
    for (;;) {
      if (this.pos >= this.limit) return undefined;
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\r') { this.pos++; continue; }
      if (c === '\\' && s[this.pos + 1] === '\n') { this.pos += 2; continue; }
      if (c === '#') { while (this.pos < this.limit && s[this.pos] !== '\n') this.pos++; continue; }
      break;
    }
    const start = this.pos;
    const c = s[start];
    const two = s.slice(start, start + 2);
    if (c === '\n') {
      this.pos++;
      this.skipHeredocBodies();
      return { kind: 'op', op: '\n', start, end: this.pos };
    }
    if (two === '()') { this.pos += 2; return { kind: 'word', word: { value: '()', start, end: this.pos } }; }
    if (two === '&&' || two === '||' || two === ';;' || two === '|&') { this.pos += 2; return { kind: 'op', op: two, start, end: this.pos }; }
    if (two === '&>') { this.pos += s[start + 2] === '>' ? 3 : 2; this.skipRedirTarget(); return { kind: 'op', op: 'redir', start, end: this.pos }; }
    if (c === ';' || c === '|' || c === '&' || c === '(' || c === ')') { this.pos++; return { kind: 'op', op: c, start, end: this.pos }; }
    // Redirections: [n]> >> < << <<- <> >& <& >|
    const redir = /^[0-9]*(<<-?|>>|<>|>&|<&|>\||>|<)/.exec(s.slice(start, Math.min(this.limit, start + 8)));
    if (redir && (redir[0].length > 1 || c === '<' || c === '>') && /[<>]/.test(redir[0])) {
      this.pos = start + redir[0].length;
      if (redir[1].startsWith('<<')) {
        const target = this.readWord();
        if (target) this.pendingHeredocs.push({ delim: target.value, strip: redir[1] === '<<-' });
      } else {
        this.skipRedirTarget();
      }
      return { kind: 'op', op: 'redir', start, end: this.pos };
    }
    const word = this.readWord();
    if (!word) { this.pos++; return this.next(); }
    return { kind: 'word', word };
  }

  private skipRedirTarget(): void {
    while (this.pos < this.limit && (this.s[this.pos] === ' ' || this.s[this.pos] === '\t')) this.pos++;
    this.readWord();
  }

  private skipHeredocBodies(): void {
    for (const h of this.pendingHeredocs) {
      for (;;) {
        if (this.pos >= this.limit) break;
        let eol = this.s.indexOf('\n', this.pos);
        if (eol < 0 || eol > this.limit) eol = this.limit;
        let line = this.s.slice(this.pos, eol);
        this.pos = Math.min(this.limit, eol + 1);
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line.replace(/\r$/, '') === h.delim) break;
      }
    }
    this.pendingHeredocs = [];
  }

  /** Reads one word at `pos`; undefined when `pos` is at an operator or blank. */
  private readWord(): Word | undefined {
    const s = this.s;
    const start = this.pos;
    let value = '';
    while (this.pos < this.limit) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '&' || c === '|' || c === '<' || c === '>') break;
      if (c === '(' || c === ')') break;
      if (c === '\\') {
        if (s[this.pos + 1] === '\n') { this.pos += 2; continue; }
        if (this.pos + 1 < this.limit) value += s[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        const stop = end < 0 || end >= this.limit ? this.limit : end;
        value += s.slice(this.pos + 1, stop);
        this.pos = Math.min(this.limit, stop + 1);
        continue;
      }
      if (c === '"') { value += this.readDouble(); continue; }
      if (c === '$' && (s[this.pos + 1] === '(' || s[this.pos + 1] === '{')) { value += this.readDollar(); continue; }
      if (c === '`') { value += this.readBackquote(); continue; }
      value += c;
      this.pos++;
    }
    if (this.pos === start) return undefined;
    return { value, start, end: this.pos };
  }

  private readDouble(): string {
    const s = this.s;
    let value = '';
    this.pos++;
    while (this.pos < this.limit && s[this.pos] !== '"') {
      const c = s[this.pos];
      if (c === '\\' && '$`"\\\n'.includes(s[this.pos + 1] ?? '')) {
        if (s[this.pos + 1] !== '\n') value += s[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '$' && (s[this.pos + 1] === '(' || s[this.pos + 1] === '{')) { value += this.readDollar(); continue; }
      if (c === '`') { value += this.readBackquote(); continue; }
      value += c;
      this.pos++;
    }
    this.pos = Math.min(this.limit, this.pos + 1);
    return value;
  }

  /** `$(…)`, `$((…))` or `${…}`: returned verbatim; the commands of `$(…)` are also parsed. */
  private readDollar(): string {
    const s = this.s;
    const start = this.pos;
    const open = s[start + 1];
    const close = open === '(' ? ')' : '}';
    let depth = 0;
    let i = start + 1;
    for (; i < this.limit; i++) {
      const c = s[i];
      if (c === '\\') { i++; continue; }
      if (c === "'" && open === '(') { const e = s.indexOf("'", i + 1); i = e < 0 ? this.limit : e; continue; }
      if (c === '"') { i = this.skipDoubleFrom(i); continue; }
      if (c === open) depth++;
      else if (c === close && --depth === 0) break;
    }
    const end = Math.min(this.limit, i + 1);
    if (open === '(' && s[start + 2] !== '(') {
      new Reader(s, start + 2, Math.min(i, this.limit), this.out, true).run();
    }
    this.pos = end;
    return s.slice(start, end);
  }

  private skipDoubleFrom(i: number): number {
    const s = this.s;
    for (i++; i < this.limit && s[i] !== '"'; i++) if (s[i] === '\\') i++;
    return i;
  }

  private readBackquote(): string {
    const s = this.s;
    const start = this.pos;
    let i = start + 1;
    for (; i < this.limit && s[i] !== '`'; i++) if (s[i] === '\\') i++;
    new Reader(s, start + 1, Math.min(i, this.limit), this.out, true).run();
    this.pos = Math.min(this.limit, i + 1);
    return s.slice(start, this.pos);
  }
}
