// ADD <git ref> addresses: which sources are git refs, and BuildKit's fragment and query syntax.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCommitSha, isGitRef, parseGitRef, redactUrl, type GitRef } from '../../../../runtime/build/plan/git-ref.js';

const refs: Array<[string, Partial<GitRef> | undefined]> = [
  ['https://github.com/moby/buildkit.git', { remote: 'https://github.com/moby/buildkit.git', ref: '', subdir: '', unencrypted: false }],
  ['https://github.com/moby/buildkit.git#v0.14.1:docs', { remote: 'https://github.com/moby/buildkit.git', ref: 'v0.14.1', subdir: 'docs' }],
  ['git@github.com:moby/buildkit.git#v0.14.1:docs', { remote: 'git@github.com:moby/buildkit.git', ref: 'v0.14.1', subdir: 'docs', unencrypted: false }],
  ['git://127.0.0.1:9418/repo.git#main', { remote: 'git://127.0.0.1:9418/repo.git', ref: 'main', unencrypted: true }],
  ['http://127.0.0.1:8080/repo.git', { remote: 'http://127.0.0.1:8080/repo.git', unencrypted: true }],
  ['ssh://git@host:2222/x/y.git#feature/a:sub/dir', { remote: 'ssh://git@host:2222/x/y.git', ref: 'feature/a', subdir: 'sub/dir' }],
  ['https://h/x.git#:only/subdir', { ref: '', subdir: 'only/subdir' }],
  ['https://h/x.git#main:../../etc', { ref: 'main', subdir: 'etc' }],
  ['https://h/x.git#main:/a/./b/', { subdir: 'a/b' }],
  ['https://h/x.git?ref=main&subdir=docs', { remote: 'https://h/x.git', ref: 'main', subdir: 'docs' }],
  ['https://h/x.git?tag=v1', { ref: 'refs/tags/v1' }],
  ['https://h/x.git?branch=dev&keep-git-dir=true', { ref: 'refs/heads/dev', keepGitDir: true }],
  ['https://h/x.git?checksum=abc123&submodules=false&mtime=commit', { checksum: 'abc123', submodules: false, mtime: 'commit' }],
  ['https://h/x.git?keep-git-dir', { keepGitDir: true }],
  ['git@h:x.git?ref=main#main', { remote: 'git@h:x.git', ref: 'main' }],
  // Not git refs: plain downloads, other schemes, local paths.
  ['https://example.com/archive.tar.gz', undefined],
  ['https://example.com/x.git.tar', undefined],
  ['ftp://h/x.git', undefined],
  ['file:///etc/x.git', undefined],
  ['src/app.git', undefined],
  ['./repo.git', undefined],
];
for (const [src, want] of refs) {
  test(`git ref: ${src}`, () => {
    const got = parseGitRef(src);
    assert.equal(isGitRef(src), want !== undefined);
    if (want === undefined) { assert.equal(got, undefined); return; }
    assert.ok(got);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof GitRef], v, k);
  });
}

const badQueries: Array<[string, RegExp]> = [
  ['https://h/x.git?ref=a&ref=b', /query "ref" has multiple values/],
  ['https://h/x.git?subdir=', /query "subdir" has no value/],
  ['https://h/x.git?depth=1', /unexpected query "depth"/],
  ['https://h/x.git?tag=v1&branch=main', /branch conflicts with tag/],
  ['https://h/x.git?ref=main#dev', /ref conflicts: "dev" vs "main"/],
  ['https://h/x.git?keep-git-dir=maybe', /invalid keep-git-dir value: "maybe"/],
  ['https://h/x.git?mtime=now', /invalid mtime value: "now"/],
  ['https://h/x.git?checksum=xyz', /invalid checksum xyz/],
  ['https://user:s3cret@h/x.git?bogus=1', /invalid git URL https:\/\/user:xxxxx@h\/x\.git\?bogus=1: unexpected query "bogus"$/],
];
for (const [src, re] of badQueries) {
  test(`git ref error: ${src}`, () => assert.throws(() => parseGitRef(src), re));
}

const redactions: Array<[string, string]> = [
  ['https://user:s3cret@host/x.git', 'https://user:xxxxx@host/x.git'],
  ['https://ghp_token@host/x.git#main', 'https://xxxxx@host/x.git#main'],
  ['ssh://git@host/x.git', 'ssh://git@host/x.git'],
  ['git@host:x.git', 'git@host:x.git'],
  ['https://host/x.git', 'https://host/x.git'],
];
for (const [src, want] of redactions) test(`redact: ${src}`, () => assert.equal(redactUrl(src), want));

test('commit SHAs are full SHA-1 or SHA-256 names only', () => {
  assert.deepEqual(['a'.repeat(40), 'b'.repeat(64), 'a'.repeat(39), 'A'.repeat(40), 'main'].map(isCommitSha), [true, true, false, false, false]);
});
