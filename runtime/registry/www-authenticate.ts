// WWW-Authenticate challenges (RFC 7235 §4.1) as registries send them:
//   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"
//   Basic realm="Registry Realm"
// A header may hold several challenges separated by commas; parameters are token=token or
// token="quoted string" with backslash escapes. Pure.

export interface Challenge {
  /** Lower-case: "bearer", "basic". */
  scheme: string;
  /** Parameter names lower-cased, values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/** Parses one or more WWW-Authenticate header values into challenges, in order. */
export function parseChallenges(header: string | string[] | null | undefined): Challenge[] {
  if (!header) return [];
  const values = Array.isArray(header) ? header : [header];
  const out: Challenge[] = [];
  for (const value of values) out.push(...parseOne(value));
  return out;
}

function parseOne(input: string): Challenge[] {
  const out: Challenge[] = [];
  let s = input;
  const skipSpace = () => { s = s.replace(/^[\s,]+/, ''); };
  skipSpace();
  while (s.length > 0) {
    const scheme = TOKEN.exec(s);
    if (!scheme) break; // garbage: keep what was understood
    s = s.slice(scheme[0].length);
    const challenge: Challenge = { scheme: scheme[0].toLowerCase(), params: {} };
    out.push(challenge);
    s = s.replace(/^\s+/, '');
    // Parameters until the next "scheme " (a token followed by a space, not "=").
    for (;;) {
      s = s.replace(/^[\s,]+/, '');
      const name = TOKEN.exec(s);
      if (!name) break;
      const after = s.slice(name[0].length).replace(/^\s*/, '');
      if (!after.startsWith('=')) break; // the next challenge's scheme
      s = after.slice(1).replace(/^\s*/, '');
      let value: string;
      if (s.startsWith('"')) {
        let i = 1;
        value = '';
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i];
          i++;
        }
        s = s.slice(i + 1);
      } else {
        const tok = /^[^\s,]*/.exec(s)![0];
        value = tok;
        s = s.slice(tok.length);
      }
      challenge.params[name[0].toLowerCase()] = value;
    }
    skipSpace();
  }
  return out;
}

/** The scope a registry wants for one repository: "repository:library/busybox:pull,push". */
export function repositoryScope(path: string, actions: readonly string[]): string {
  return `repository:${path}:${actions.join(',')}`;
}
