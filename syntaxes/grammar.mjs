// Source of syntaxes/dockerfile.tmLanguage.json. Run `node syntaxes/grammar.mjs` to regenerate;
// the unit tests fail when the JSON is stale.
//
// Why a generator: a Dockerfile's `# escape=` directive changes the line-continuation character
// for the whole file, and a TextMate grammar cannot read a variable. So every rule that knows
// about continuations exists twice — once for `\` and once for the backtick — and the directive
// block at the top chooses which set applies to the rest of the document. Writing that by hand
// would mean two copies of every instruction rule drifting apart.
//
// Design choices worth knowing:
// - Instructions end at the end of a line unless it ends with the escape character; the
//   continuation rule consumes the newline itself, so the instruction's `$` end never sees it.
//   Comment lines and empty lines inside a continued instruction are skipped (as BuildKit does),
//   which is why those rules also consume their newline and the end is applied last.
// - Shell inside RUN/CMD/ENTRYPOINT is tokenised one line segment at a time (a capture that
//   includes source.shell), never as an open-ended include: an unbalanced quote or `if` in a
//   command can then never swallow the rest of the Dockerfile.
// - Heredoc bodies take their language from the command on the marker line (`python3 <<EOF`),
//   the destination file name for COPY/ADD (`COPY <<EOF /app/main.py`) or a `#!` first line.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const S = '.dockerfile';
const KW = `keyword.other.special-method${S}`;
const NEVER = '(?!)';
const DIRECTIVE_LINE = String.raw`[ \t]*#[ \t]*[A-Za-z][A-Za-z0-9_-]*[ \t]*=`;
/** Groups 2–5 of a heredoc's begin (group 1 is the text before the marker). */
const HEREDOC_MARK = String.raw`(?<!<)(<<-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)(\3)`;
/**
 * End of an instruction: the end of a line, but not the end of the string left after a rule
 * consumed the newline (vscode-textmate appends "\n" to every line and `$` matches after it).
 */
const EOL = String.raw`(?<!\n)$`;

/** Embedded languages: scope of the region → grammar included for each line of it. */
const LANGS = {
  shell: 'source.shell',
  python: 'source.python',
  javascript: 'source.js',
  json: 'source.json',
};

const line = (lang) => ({ match: '.+', captures: { 0: { patterns: [{ include: LANGS[lang] }] } } });

/** A `#!` first line picks the heredoc's language; the block ends before a delimiter-like line. */
const shebang = (lang, re) => ({
  begin: String.raw`^(?=#!.*\b(?:${re})\b)`,
  end: String.raw`(?=^\t*[A-Za-z_][A-Za-z0-9_.-]*$)`,
  contentName: `meta.embedded.block.${lang}${S}`,
  patterns: [line(lang)],
});

function heredoc({ prefix = '', lang, restPatterns, body }) {
  const pre = prefix ? `(${prefix})` : '()';
  return {
    begin: `${pre}${HEREDOC_MARK}([^\\n]*)`,
    beginCaptures: {
      1: { patterns: restPatterns },
      2: { name: `keyword.operator.heredoc${S}` },
      3: { name: `punctuation.definition.string.begin${S}` },
      4: { name: `keyword.control.heredoc-token${S}` },
      5: { name: `punctuation.definition.string.end${S}` },
      6: { patterns: restPatterns },
    },
    // Lenient: leading tabs close `<<EOF` too, not only `<<-EOF`.
    end: String.raw`^\t*(\4)$`,
    endCaptures: { 1: { name: `keyword.control.heredoc-token${S}` } },
    name: `meta.heredoc${S}`,
    contentName: lang ? `meta.embedded.block.${lang}${S}` : `string.unquoted.heredoc${S}`,
    patterns: body,
  };
}

/** Every rule that depends on the escape character, for one escape character. */
function variant(esc) {
  const E = esc === '\\' ? '\\\\' : '`';
  const v = esc === '\\' ? 'backslash' : 'backtick';
  const ref = (name) => ({ include: `#${name}-${v}` });
  // A shell segment stops before a heredoc marker or the continuation at the end of the line.
  const stop = `(?=(?<!<)<<-?["']?[A-Za-z_]|${E}[ \\t]*$|$)`;
  const shellSeg = { match: `[^\\n]+?${stop}`, captures: { 0: { patterns: [{ include: LANGS.shell }] } } };
  const common = [
    { match: `(${E})[ \\t]*\\n`, captures: { 1: { name: `constant.character.escape.line-continuation${S}` } } },
    { match: String.raw`^[ \t]*(#).*\n`, name: `comment.line.number-sign${S}`, captures: { 1: { name: `punctuation.definition.comment${S}` } } },
    { match: String.raw`^[ \t]*\n` },
  ];
  const escape = { match: `${E}.`, name: `constant.character.escape${S}` };
  const value = [ref('common'), ref('escape'), { include: '#variables' }, ref('strings')];
  const instruction1 = (kw, patterns) => ({
    name: `meta.instruction.${kw.toLowerCase()}${S}`,
    begin: `^[ \\t]*(?i:(ONBUILD)[ \\t]+)?(?i:(${kw}))(?=[ \\t]|$|${E})`,
    beginCaptures: { 1: { name: KW }, 2: { name: KW } },
    end: EOL,
    applyEndPatternLast: 1,
    patterns: [ref('common'), ...patterns],
  });
  /** `CMD|ENTRYPOINT` → one rule per keyword, each scoped with its own name. */
  const instruction = (kws, patterns) => kws.split('|').map((kw) => instruction1(kw, patterns));
  const runHeredocs = [
    heredoc({ prefix: String.raw`[^\n]*?\bpython[0-9.]*\b[^\n]*?`, lang: 'python', restPatterns: [shellSeg], body: [line('python')] }),
    heredoc({ prefix: String.raw`[^\n]*?\bnode(?:js)?\b[^\n]*?`, lang: 'javascript', restPatterns: [shellSeg], body: [line('javascript')] }),
    heredoc({
      lang: 'shell',
      restPatterns: [shellSeg],
      body: [shebang('python', 'python[0-9.]*'), shebang('javascript', 'node|nodejs'), line('shell')],
    }),
  ];
  const copyRest = [{ include: '#variables' }, { include: `#flags` }];
  const copyHeredocs = [
    ...[['py', 'python'], ['(?:m|c)?js', 'javascript'], ['json', 'json'], ['(?:ba)?sh', 'shell']].map(([ext, lang]) => ({
      ...heredoc({ lang, restPatterns: copyRest, body: [line(lang)] }),
      // The destination (later on the marker line) names the file the body becomes.
      begin: `()${HEREDOC_MARK}(?=[^\\n]*\\.${ext}\\b)([^\\n]*)`,
    })),
    heredoc({ lang: undefined, restPatterns: copyRest, body: [shebang('python', 'python[0-9.]*'), shebang('shell', 'sh|bash|ash|dash')] }),
  ];
  // The shell grammar only starts a command after `^`, `;`, `|`, `&`, `(`…: the first word
  // after `RUN ` follows a space, so it would never be a command. Scope it here, as the shell
  // grammar scopes command names and keywords.
  const commandWord = {
    match: String.raw`\G(?:(if|then|else|elif|fi|for|while|until|do|done|case|esac|in|function|select)|([A-Za-z_./][A-Za-z0-9_./+-]*))(?=[ \t;|&]|$)`,
    captures: { 1: { name: 'keyword.control.shell' }, 2: { name: 'entity.name.command.shell' } },
  };
  const shellForm = {
    name: `meta.shell-form${S}`,
    begin: String.raw`(?=\S)`,
    end: EOL,
    applyEndPatternLast: 1,
    contentName: `meta.embedded.shell${S}`,
    patterns: [ref('common'), ...runHeredocs, commandWord, shellSeg],
  };
  const json = (withVars) => ({
    name: `meta.array.exec-form${S}`,
    begin: String.raw`\[(?=[ \t]*(?:"|\]|${E}[ \t]*$))`,
    beginCaptures: { 0: { name: `punctuation.definition.array.begin${S}` } },
    end: String.raw`\]|${EOL}`,
    endCaptures: { 0: { name: `punctuation.definition.array.end${S}` } },
    patterns: [
      ref('common'),
      {
        name: `string.quoted.double${S}`,
        begin: '"',
        end: `"|${EOL}`,
        beginCaptures: { 0: { name: `punctuation.definition.string.begin${S}` } },
        endCaptures: { 0: { name: `punctuation.definition.string.end${S}` } },
        patterns: [
          { match: String.raw`\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})`, name: `constant.character.escape${S}` },
          ...(withVars ? [{ include: '#variables' }] : []),
        ],
      },
      { match: ',', name: `punctuation.separator.array${S}` },
    ],
  });
  const execOrShell = [json(false), shellForm];
  const keyValue = (keyScope, keyRe) => ({
    match: String.raw`(?<=^|[ \t])(${keyRe})(=)`,
    captures: { 1: { name: keyScope }, 2: { name: `keyword.operator.assignment${S}` } },
  });
  const repo = {
    [`common-${v}`]: { patterns: common },
    [`escape-${v}`]: escape,
    [`strings-${v}`]: {
      patterns: [
        {
          name: `string.quoted.double${S}`,
          begin: '"', end: `"|${EOL}`,
          beginCaptures: { 0: { name: `punctuation.definition.string.begin${S}` } },
          endCaptures: { 0: { name: `punctuation.definition.string.end${S}` } },
          patterns: [common[0], escape, { include: '#variables' }],
        },
        {
          name: `string.quoted.single${S}`,
          begin: "'", end: `'|${EOL}`,
          beginCaptures: { 0: { name: `punctuation.definition.string.begin${S}` } },
          endCaptures: { 0: { name: `punctuation.definition.string.end${S}` } },
          patterns: [common[0]],
        },
      ],
    },
    [`body-${v}`]: {
      patterns: [].concat(
        [{ include: '#comment' }],
        instruction('FROM', [
          { include: '#flags' },
          {
            match: String.raw`(?<=[ \t])(?i:(AS))[ \t]+([^ \t\n]+)`,
            captures: { 1: { name: KW }, 2: { name: `entity.name.type.stage${S}` } },
          },
          {
            name: `entity.name.type.image${S}`,
            begin: String.raw`(?<=[ \t])(?!--|(?i:AS)[ \t])(?=[^ \t\n])`,
            end: String.raw`(?=[ \t])|${EOL}`,
            patterns: [
              { include: '#variables' },
              { match: String.raw`(@)([A-Za-z0-9_+.-]+:[A-Fa-f0-9]+)`, captures: { 1: { name: `punctuation.separator.digest${S}` }, 2: { name: `constant.other.digest${S}` } } },
              { match: String.raw`(:)([A-Za-z0-9_$][A-Za-z0-9_.\${}-]*)(?=@|[ \t]|$)`, captures: { 1: { name: `punctuation.separator.tag${S}` }, 2: { name: `entity.name.tag.image-tag${S}` } } },
            ],
          },
        ]),
        instruction('RUN', [{ include: '#flags' }, ...execOrShell]),
        instruction('CMD|ENTRYPOINT', execOrShell),
        instruction('SHELL', [json(false)]),
        instruction('HEALTHCHECK', [
          { include: '#flags' },
          { match: String.raw`(?<=[ \t])(?i:NONE)\b`, name: KW },
          {
            begin: String.raw`(?<=[ \t])(?i:(CMD))(?=[ \t]|$)`,
            beginCaptures: { 1: { name: KW } },
            end: EOL,
            applyEndPatternLast: 1,
            patterns: [ref('common'), ...execOrShell],
          },
        ]),
        instruction('COPY|ADD', [{ include: '#flags' }, ...copyHeredocs, json(true), ...value]),
        instruction('ARG', [
          keyValue(`variable.parameter.arg${S}`, '[A-Za-z_][A-Za-z0-9_]*'),
          { match: String.raw`(?<=[ \t])[A-Za-z_][A-Za-z0-9_]*(?=[ \t]|$)`, name: `variable.parameter.arg${S}` },
          ...value,
        ]),
        instruction('ENV', [
          // Legacy form `ENV NAME value with spaces`: the first word has no `=`.
          { match: String.raw`\G[ \t]+([A-Za-z_][A-Za-z0-9_.-]*)(?=[ \t])`, captures: { 1: { name: `variable.other.env${S}` } } },
          keyValue(`variable.other.env${S}`, '[A-Za-z_][A-Za-z0-9_.-]*'),
          ...value,
        ]),
        instruction('LABEL', [keyValue(`entity.other.attribute-name.label${S}`, String.raw`[A-Za-z0-9_.-]+|"[^"]*"`), ...value]),
        instruction('EXPOSE', [
          {
            match: String.raw`(?<=[ \t])([0-9]+)(?:(-)([0-9]+))?(?:(/)(?i:(tcp|udp|sctp)))?(?=[ \t]|$)`,
            captures: {
              1: { name: `constant.numeric.port${S}` }, 2: { name: `punctuation.separator.range${S}` },
              3: { name: `constant.numeric.port${S}` }, 4: { name: `punctuation.separator.protocol${S}` },
              5: { name: `constant.language.protocol${S}` },
            },
          },
          ...value,
        ]),
        instruction('STOPSIGNAL', [{ match: String.raw`(?<=[ \t])(?:SIG[A-Z0-9+]+|[0-9]+)\b`, name: `constant.language.signal${S}` }, ...value]),
        instruction('VOLUME', [json(true), ...value]),
        instruction('USER|WORKDIR|MAINTAINER', value),
      ),
    },
  };
  return repo;
}

export function buildGrammar() {
  const directive = {
    patterns: [
      {
        match: String.raw`^[ \t]*(#)[ \t]*(?i:(syntax|escape|check))[ \t]*(=)[ \t]*(.*?)[ \t]*$`,
        name: `meta.directive${S}`,
        captures: {
          1: { name: `comment.line.number-sign${S} punctuation.definition.comment${S}` },
          2: { name: `keyword.other.directive${S}` },
          3: { name: `keyword.operator.assignment${S}` },
          4: { name: `string.unquoted.directive-value${S}` },
        },
      },
      { include: '#comment' },
    ],
  };
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Dockerfile',
    scopeName: 'source.dockerfile',
    comment: 'Generated by syntaxes/grammar.mjs — edit that file, then run `node syntaxes/grammar.mjs`.',
    patterns: [{ include: '#directives' }, { include: '#body-backslash' }, { include: '#embedded-grammars' }],
    repository: {
      // Parser directives are only directives in the leading block of `# name=value` lines.
      directives: {
        begin: `\\A(?=${DIRECTIVE_LINE})`,
        end: `^(?!${DIRECTIVE_LINE})`,
        patterns: [{ include: '#backtick-document' }, { include: '#directive' }],
      },
      directive,
      // Never matches. vscode-textmate (and so VS Code) loads an embedded grammar only when an
      // include of it is reachable through `patterns`; includes inside `captures` — which is how
      // this grammar embeds, one line segment at a time — are not followed. This rule makes
      // them reachable so source.shell & co. are loaded with the Dockerfile grammar.
      'embedded-grammars': {
        begin: NEVER,
        end: NEVER,
        patterns: Object.values(LANGS).map((scope) => ({ include: scope })),
      },
      // `# escape=\`` switches the rest of the document to the backtick rule set; it never ends.
      'backtick-document': {
        begin: String.raw`^[ \t]*(#)[ \t]*(?i:(escape))[ \t]*(=)[ \t]*(\x60)[ \t]*$`,
        beginCaptures: directive.patterns[0].captures,
        end: NEVER,
        patterns: [
          { begin: String.raw`\G`, end: `^(?!${DIRECTIVE_LINE})`, patterns: [{ include: '#directive' }] },
          { include: '#body-backtick' },
        ],
      },
      comment: {
        match: String.raw`^[ \t]*(#).*$`,
        name: `comment.line.number-sign${S}`,
        captures: { 1: { name: `punctuation.definition.comment${S}` } },
      },
      flags: {
        patterns: [
          {
            name: `meta.flag${S}`,
            begin: String.raw`(?<=^|[ \t])(--)([A-Za-z][A-Za-z0-9-]*)(=)`,
            beginCaptures: {
              1: { name: `punctuation.definition.flag${S}` },
              2: { name: `entity.other.attribute-name.flag${S}` },
              3: { name: `keyword.operator.assignment${S}` },
            },
            end: String.raw`(?=[ \t])|${EOL}`,
            contentName: `string.unquoted.flag-value${S}`,
            patterns: [
              { match: String.raw`(?<==|,)([A-Za-z][A-Za-z0-9_-]*)(=)`, captures: { 1: { name: `entity.other.attribute-name.option${S}` }, 2: { name: `keyword.operator.assignment${S}` } } },
              { match: ',', name: `punctuation.separator.option${S}` },
              { include: '#variables' },
            ],
          },
          {
            match: String.raw`(?<=^|[ \t])(--)([A-Za-z][A-Za-z0-9-]*)(?=[ \t]|$)`,
            name: `meta.flag${S}`,
            captures: { 1: { name: `punctuation.definition.flag${S}` }, 2: { name: `entity.other.attribute-name.flag${S}` } },
          },
        ],
      },
      variables: {
        patterns: [
          {
            name: `variable.other${S}`,
            begin: String.raw`(\$\{)([A-Za-z_][A-Za-z0-9_]*)`,
            beginCaptures: { 1: { name: `punctuation.definition.variable.begin${S}` }, 2: { name: `variable.other.name${S}` } },
            end: String.raw`\}|${EOL}`,
            endCaptures: { 0: { name: `punctuation.definition.variable.end${S}` } },
            patterns: [
              { match: String.raw`\G(?::?[-+?]|#{1,2}|%{1,2}|/{1,2})`, name: `keyword.operator.expansion${S}` },
              { include: '#variables' },
            ],
          },
          {
            match: String.raw`(\$)([A-Za-z_][A-Za-z0-9_]*)`,
            name: `variable.other${S}`,
            captures: { 1: { name: `punctuation.definition.variable${S}` }, 2: { name: `variable.other.name${S}` } },
          },
        ],
      },
      ...variant('\\'),
      ...variant('`'),
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dockerfile.tmLanguage.json');
  writeFileSync(out, JSON.stringify(buildGrammar(), null, 2) + '\n');
  console.log(`wrote ${out}`);
}
