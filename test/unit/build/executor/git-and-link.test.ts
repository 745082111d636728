// Pure parts of ADD <git ref>, COPY --parents and --link: picking the commit from ls-remote
// output, scrubbing secrets from git's messages, the path --parents keeps, and the cache keys
// and miss reasons of git sources and --link steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickDefaultBranch, pickRef, scrub, withGitCommits, type ResolvedGit } from '../../../../runtime/build/executor/git.js';
import { parentsPath } from '../../../../runtime/build/executor/copy.js';
import { CACHE_KEY_VERSION, explainMiss, linkedChainKey, type StepDescription } from '../../../../runtime/build/cache-key.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const T = 'd'.repeat(40);
const LS = [
  `${A}\tHEAD`, `${A}\trefs/heads/main`, `${B}\trefs/heads/v1`, `${C}\trefs/tags/v1`,
  `${T}\trefs/tags/annotated`, `${B}\trefs/tags/annotated^{}`, `${C}\trefs/heads/feature/x`,
].join('\n') + '\n';

const picks: Array<[string, ReturnType<typeof pickRef>]> = [
  ['main', { commit: A, ref: 'refs/heads/main' }],
  ['refs/heads/main', { commit: A, ref: 'refs/heads/main' }],
  // A branch wins over a tag of the same name, as git checkout prefers branches.
  ['v1', { commit: B, ref: 'refs/heads/v1' }],
  ['refs/tags/v1', { commit: C, ref: 'refs/tags/v1' }],
  ['annotated', { commit: B, ref: 'refs/tags/annotated', tagObject: T }],
  ['feature/x', { commit: C, ref: 'refs/heads/feature/x' }],
  ['nope', undefined],
];
for (const [ref, want] of picks) test(`ls-remote pick: ${ref}`, () => assert.deepEqual(pickRef(LS, ref), want));

test('the default branch comes from ls-remote --symref HEAD', () => {
  assert.deepEqual(pickDefaultBranch(`ref: refs/heads/trunk\tHEAD\n${A}\tHEAD\n`), { commit: A, ref: 'refs/heads/trunk' });
  assert.equal(pickDefaultBranch(''), undefined, 'an empty repository has no HEAD commit');
});

const scrubs: Array<[string, string, string]> = [
  ['fatal: unable to access \'https://u:pw1234@h/x.git/\': 403', 'https://u:pw1234@h/x.git', 'fatal: unable to access \'https://u:xxxxx@h/x.git/\': 403'],
  ['remote: token tok_abcdef rejected', 'https://tok_abcdef@h/x.git', 'remote: token xxxxx rejected'],
  ['ssh: connect to host h port 22: refused (user build)', 'ssh://build@h/x.git', 'ssh: connect to host h port 22: refused (user build)'],
];
for (const [text, remote, want] of scrubs) test(`scrub: ${remote}`, () => assert.equal(scrub(text, remote), want));

const parents: Array<[string, string, string]> = [
  ['./x/a.txt', 'x/a.txt', 'x/a.txt'],
  ['./x/./y/*.txt', 'x/y/a.txt', 'y/a.txt'],
  ['x/./y', 'x/y', 'y'],
  ['x/./', 'x', '.'],
  ['/./src/**/*.txt', 'src/x/b.txt', 'src/x/b.txt'],
  ['a/b/./c/d.txt', 'a/b/c/d.txt', 'c/d.txt'],
];
for (const [source, matched, want] of parents) test(`--parents keeps: ${source} → ${matched}`, () => assert.equal(parentsPath(source, matched), want));

const desc = (parent: string, commit?: string): StepDescription => ({
  version: CACHE_KEY_VERSION, parent, platform: 'linux/amd64', kind: 'add', instruction: { op: 'add' }, args: {}, env: {},
  files: [{ path: 'https://u:pw1234@h/x.git#main', type: 'other', mode: 0, uid: 0, gid: 0, ...(commit ? { commit } : {}) }],
});

test('a git source that moved to a new commit is a miss that names both commits, without the password', () => {
  const reasons = explainMiss(desc('p', A), desc('p', B));
  assert.deepEqual(reasons, [`ADD: https://u:xxxxx@h/x.git#main now at commit ${B.slice(0, 12)} (was ${A.slice(0, 12)})`]);
  assert.deepEqual(explainMiss(desc('p', A), desc('p', A)), []);
});

test('withGitCommits adds the resolved commit to the git source record only', () => {
  const resolved = { url: 'https://h/x.git', commit: A } as ResolvedGit;
  const records = withGitCommits([
    { path: 'https://h/x.git', type: 'other', mode: 0, uid: 0, gid: 0 },
    { path: 'a.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, digest: 'sha256:x' },
  ], [resolved, undefined]);
  assert.deepEqual(records.map((r) => r.commit), [A, undefined]);
});

test('the chain key after a --link step depends on both the chain below and the link key', () => {
  const k = linkedChainKey('sha256:parent1', 'sha256:link');
  assert.match(k, /^sha256:[0-9a-f]{64}$/);
  assert.notEqual(k, linkedChainKey('sha256:parent2', 'sha256:link'));
  assert.notEqual(k, linkedChainKey('sha256:parent1', 'sha256:link2'));
  assert.equal(k, linkedChainKey('sha256:parent1', 'sha256:link'));
});
