// COPY/ADD options checked while planning: --checksum, --link (and its --chown/--chmod rules),
// --keep-git-dir, git refs as sources. Each row plans one instruction in a small stage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInstructions } from '../../../../runtime/dockerfile/instructions.js';
import { planBuild } from '../../../../runtime/build/plan/plan.js';
import type { CopyPlan } from '../../../../runtime/build/plan/types.js';
import { DockerfileError } from '../../../../runtime/errors.js';

const SHA256 = 'sha256:' + 'a'.repeat(64);
const copyOf = (line: string): CopyPlan => planBuild(parseInstructions(`FROM scratch\n${line}\n`)).target.steps[0]!.copy!;

const ok: Array<[string, Partial<CopyPlan>]> = [
  [`ADD --checksum=${SHA256} https://example.com/f /f`, { checksum: SHA256 }],
  [`ADD --checksum=sha512:${'b'.repeat(128)} https://example.com/f /f`, { checksum: `sha512:${'b'.repeat(128)}` }],
  ['ADD --checksum=BE1F38E https://h/x.git#v1 /src', { checksum: 'be1f38e', sources: [{ kind: 'git', url: 'https://h/x.git#v1' }] }],
  ['ADD --checksum=be1f38e https://h/x.git?checksum=be1f38e /src', { checksum: 'be1f38e' }],
  ['ADD --keep-git-dir=true git@h:x.git /src', { keepGitDir: true }],
  ['ADD http://127.0.0.1:8080/repo.git /src', { sources: [{ kind: 'git', url: 'http://127.0.0.1:8080/repo.git' }] }],
  ['COPY --link a /d', { link: true }],
  ['COPY --link --chown=1000:50 a /d', { link: true, chown: { user: '1000', group: '50' } }],
  ['COPY --link --chown=root a /d', { link: true, chown: { user: 'root' } }],
  ['COPY --link --chown=root:root a /d', { link: true, chown: { user: 'root', group: 'root' } }],
  // BuildKit falls back to a plain copy when --chmod is given; names are then looked up as usual.
  ['COPY --link --chmod=644 --chown=app a /d', { link: false, chmod: 0o644, chown: { user: 'app' } }],
  ['ADD --link https://example.com/f /f', { link: true }],
];
for (const [line, want] of ok) {
  test(`plan: ${line}`, () => {
    const copy = copyOf(line) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) assert.deepEqual(copy[k], v, k);
  });
}

const errors: Array<[string, RegExp]> = [
  ['ADD --checksum=sha256:abcd https://example.com/f /f', /invalid checksum digest: sha256:abcd/],
  ['ADD --checksum=md5:d41d8cd98f00b204e9800998ecf8427e https://example.com/f /f', /invalid checksum digest/],
  [`ADD --checksum=${SHA256} https://example.com/a https://example.com/b /d/`, /checksum can't be specified for multiple sources/],
  [`ADD --checksum=${SHA256} local.txt /d`, /requires an HTTP\(S\) or git source/],
  ['ADD --checksum=zz https://h/x.git /d', /invalid checksum zz for a git source/],
  ['ADD --checksum=abc https://h/x.git?checksum=def /d', /checksum mismatch "abc" != "def"/],
  ['ADD --keep-git-dir=true https://h/x.git?keep-git-dir=false /d', /inconsistent keep-git-dir configuration/],
  ['ADD https://h/x.git?nope=1 /d', /unexpected query "nope"/],
  ['COPY https://h/x.git /d', /source can't be a git ref for COPY/],
  ['COPY git@h:x.git /d', /source can't be a git ref for COPY/],
  ['COPY --link --chown=app a /d', /COPY --link cannot resolve the name "app" of --chown/],
  ['COPY --link --chown=1000:staff a /d', /cannot resolve the name "staff"/],
];
for (const [line, re] of errors) {
  test(`plan error: ${line}`, () => {
    assert.throws(() => copyOf(line), (err: unknown) => {
      assert.ok(err instanceof DockerfileError, String(err));
      assert.match(err.message, re);
      assert.equal(err.range.start.line, 1, 'located at the instruction');
      return true;
    });
  });
}

test('a password or token in an ADD URL is masked in the history', () => {
  const steps = planBuild(parseInstructions('FROM scratch\nADD https://u:pw1234@h/x.git#main /src\nADD https://tok3n@h/f.txt /f\n')).target.steps;
  assert.deepEqual(steps.map((s) => s.createdBy), ['ADD https://u:xxxxx@h/x.git#main /src # buildkit', 'ADD https://xxxxx@h/f.txt /f # buildkit']);
});
