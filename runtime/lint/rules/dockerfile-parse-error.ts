import { defineRule } from '../rule';

// What the builder itself would stop at. BuildKit prints these as "dockerfile parse error on
// line N: …"; the linter keeps going after one (the parser's recovering mode), so the editor
// shows the error where it is and every other finding of the file as well.
export default defineRule({
  code: 'DockerfileParseError', name: 'DockerfileParseError', family: 'buildkit', severity: 'error',
  description: 'The Dockerfile does not parse: the build would stop at this instruction (unterminated heredoc, unknown instruction or flag, missing arguments, a JSON array of non-strings)',
  url: 'https://docs.docker.com/reference/dockerfile/',
  format: (message: string) => message,
  examples: {
    bad: [
      { source: 'FROM alpine:3.20\nCOPY --chmod 644 app.sh\n' },
      { source: 'FROM alpine:3.20\nRUN <<EOF\necho unterminated\n' },
    ],
    good: [{ source: 'FROM alpine:3.20\nCOPY --chmod=644 app.sh /usr/local/bin/\n' }],
  },
  check(ctx, report) {
    for (const err of ctx.parseErrors) {
      // The DockerfileError message starts with "FILE:LINE: " for the CLI; the finding has both.
      const prefix = `${err.file}:${err.range.start.line + 1}: `;
      const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
      const line = err.range.start.line;
      const end = { line, character: ctx.lineText(line).trimEnd().length };
      report({ range: { start: err.range.start, end: end.character > err.range.start.character ? end : err.range.start }, message: this.format(message) });
    }
  },
});
