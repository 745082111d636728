// RUN --mount parsing (BuildKit's rules) and planning: a table of values → typed mounts, a
// table of values → located errors, and what the planner does with from=, targets and ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absoluteTarget, csvFields, parseRunMount, type ParsedMount } from '../../../../runtime/build/plan/run-mount.js';
import { parseInstructions } from '../../../../runtime/dockerfile/instructions.js';
import { planBuild } from '../../../../runtime/build/plan/plan.js';
import { DockerfileError } from '../../../../runtime/errors.js';

const vars: Record<string, string> = { CACHE: '/root/.cache', ID: 'gomod', UID: '1000' };
const expand = (v: string): string => v.replace(/\$(\w+)/g, (_, n: string) => vars[n] ?? '');

const ok: Array<[string, Partial<ParsedMount>]> = [
  ['target=/src', { type: 'bind', target: '/src', readonly: true }],
  ['type=bind,source=app,target=/app,rw', { type: 'bind', source: 'app', target: '/app', readonly: false }],
  ['TYPE=Bind,SRC=a,DST=/b,ReadWrite=true', { type: 'bind', source: 'a', target: '/b', readonly: false }],
  ['type=bind,from=builder,src=/out,destination=/o,readonly=false', { type: 'bind', from: 'builder', source: '/out', target: '/o', readonly: false }],
  ['type=cache,target=/var/cache/apt', { type: 'cache', target: '/var/cache/apt', readonly: false, sharing: 'shared' }],
  ['type=cache,target=$CACHE,id=$ID,sharing=LOCKED,uid=$UID,gid=50,mode=0700', { type: 'cache', target: '/root/.cache', id: 'gomod', sharing: 'locked', uid: 1000, gid: 50, mode: 0o700 }],
  ['type=cache,target=/c,ro', { type: 'cache', readonly: true }],
  ['type=cache,target=/c,sharing=private,from=deps,source=/cache', { sharing: 'private', from: 'deps', source: '/cache' }],
  ['type=tmpfs,target=/tmp,size=64m', { type: 'tmpfs', target: '/tmp', size: 64 << 20, readonly: false }],
  ['type=tmpfs,dst=/t,size=1.5GiB', { size: 1.5 * 2 ** 30 }],
  ['type=secret,id=aws', { type: 'secret', id: 'aws', target: '/run/secrets/aws', mode: 0o400, required: false, readonly: true }],
  ['type=secret,id=aws,target=/root/.aws/credentials,required', { id: 'aws', target: '/root/.aws/credentials', required: true }],
  ['type=secret,target=/etc/token', { id: 'token', target: '/etc/token' }],
  ['type=secret,id=KEY,env=API_KEY', { id: 'KEY', env: 'API_KEY', target: '' }],
  ['type=secret,env=API_KEY', { id: 'API_KEY', env: 'API_KEY', target: '' }],
  ['type=secret,id=k,env=K,target=/k,required=true,mode=0440,uid=1,gid=2', { id: 'k', env: 'K', target: '/k', required: true, mode: 0o440, uid: 1, gid: 2 }],
  ['type=secret,source=legacy', { id: 'legacy', target: '/run/secrets/legacy' }],
  ['type=ssh', { type: 'ssh', id: 'default', readonly: true }],
  ['"type=bind,x","target=/a,b"', { target: '/a,b' }],
];
for (const [raw, want] of ok) {
  test(`--mount=${raw}`, () => {
    // The quoted row is a single CSV field "type=bind,x" whose value is invalid: check the
    // splitting separately.
    if (raw.startsWith('"')) { assert.deepEqual(csvFields(raw), ['type=bind,x', 'target=/a,b']); return; }
    const got = parseRunMount(raw, expand);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof ParsedMount], v, k);
  });
}

const bad: Array<[string, RegExp]> = [
  ['type=nfs,target=/a', /unsupported mount type "nfs"/],
  ['type=cahce,target=/a', /unsupported mount type "cahce" \(did you mean cache\?\)/],
  ['type=bind,target=/a,foo=bar', /unexpected key 'foo' in 'foo=bar'/],
  ['type=bind,targt=/a', /did you mean target\?/],
  ['type=bind,target=/a,bogus', /invalid field 'bogus' must be a key=value pair/],
  ['type=bind,target=/a,required', /unexpected key 'required' for mount type 'bind'/],
  ['type=bind,target=/a,mode=0700', /mode not allowed for "bind" type mounts/],
  ['type=tmpfs,target=/a,uid=1', /uid not allowed for "tmpfs" type mounts/],
  ['type=cache,target=/a,size=1m', /unexpected key 'size' for mount type 'cache'/],
  ['type=tmpfs,target=/a,size=lots', /invalid value for size: lots/],
  ['type=cache,target=/a,sharing=everyone', /unsupported sharing value "everyone"/],
  ['type=bind,target=/a,sharing=locked', /invalid cache sharing set for bind mount/],
  ['type=cache,target=/a,mode=999', /invalid value 999 for mode/],
  ['type=cache,target=/a,uid=-1', /invalid value -1 for uid/],
  ['type=bind,target=/a,ro=maybe', /invalid value for ro: maybe/],
  ['type=secret,id=a,from=x', /secret mount should not have a from/],
  ['type=secret,id=a,source=b', /both source and id can't be set/],
  ['type=secret', /one of id, target or env is required/],
  ['type=secret,id=a,env=1BAD', /invalid environment variable name/],
  ['type=cache,target=/a,env=X', /unexpected key 'env' for mount type 'cache'/],
  ['target=/a,"x', /extraneous or missing "/],
  ['target=/a"b', /bare " in non-quoted field/],
];
for (const [raw, error] of bad) {
  test(`--mount=${raw} is refused`, () => assert.throws(() => parseRunMount(raw, expand), error));
}

const sizes: Array<[string, number]> = [['1024', 1024], ['1k', 1024], ['1KiB', 1024], ['2m', 2 << 20], ['1g', 1 << 30], ['0.5 GB', 1 << 29]];
for (const [size, want] of sizes) {
  test(`tmpfs size=${size} is ${want} bytes (binary units, as docker/go-units RAMInBytes)`, () => {
    assert.equal(parseRunMount(`type=tmpfs,target=/t,size=${size}`, expand).size, want);
  });
}

test('targets: relative ones are under WORKDIR, "/" is refused', () => {
  assert.equal(absoluteTarget('cache', '/app'), '/app/cache');
  assert.equal(absoluteTarget('/a/./b/../c', '/x'), '/a/c');
  assert.equal(absoluteTarget('x', undefined), '/x');
  assert.equal(absoluteTarget('', '/src'), '/src', 'no target: WORKDIR itself');
  assert.throws(() => absoluteTarget('/', '/app'), /invalid mount target "\/"/);
  assert.throws(() => absoluteTarget('..', '/app'), /invalid mount target/);
});

const planRun = (text: string) => planBuild(parseInstructions(text)).target.steps.filter((s) => s.kind === 'run').map((s) => s.run!);

test('planning: bind defaults to the context, from= resolves stages and images, cache id defaults to target', () => {
  const [run] = planRun('FROM scratch AS deps\nFROM busybox\nWORKDIR /w\nARG CACHE=.cache\nRUN --mount=target=ctx --mount=type=bind,from=deps,target=/d --mount=from=alpine:3,target=/a --mount=type=cache,target=$CACHE x\n');
  assert.deepEqual(run!.mounts.map((m) => [m.type, m.target, m.from]), [
    ['bind', '/w/ctx', { kind: 'context' }],
    ['bind', '/d', { kind: 'stage', stage: 0 }],
    ['bind', '/a', { kind: 'image', ref: 'alpine:3' }],
    ['cache', '/w/.cache', undefined],
  ]);
  assert.equal(run!.mounts[3]!.id, '/w/.cache');
  assert.deepEqual(run!.mountSources, [{ kind: 'stage', stage: 0 }, { kind: 'image', ref: 'alpine:3' }]);
});

test('planning: a mount without a target is at WORKDIR; ssh is planned (refused when it runs)', () => {
  const [run] = planRun('FROM busybox\nWORKDIR /src\nRUN --mount=type=bind,source=. --mount=type=ssh,required x\n');
  assert.deepEqual(run!.mounts.map((m) => [m.type, m.target]), [['bind', '/src'], ['ssh', '']]);
});

test('planning: the variables a mount used are part of the step (and of its cache key)', () => {
  const steps = planBuild(parseInstructions('FROM busybox\nARG ID=one\nRUN --mount=type=cache,id=$ID,target=/c true\n')).target.steps;
  assert.equal(steps[1]!.usedVars.ID, 'one');
});

const located: Array<[string, RegExp]> = [
  ['FROM busybox\nRUN true\nRUN --mount=type=nfs,target=/a true\n', /Dockerfile:3: RUN --mount=type=nfs,target=\/a: unsupported mount type "nfs"/],
  ['FROM busybox\nRUN --mount=type=bind true\n', /Dockerfile:2: .*invalid mount target "\/"/],
  ['FROM busybox\nRUN --network=bridge true\n', /Dockerfile:2: RUN --network=bridge is not supported \(default, host or none\)/],
  ['FROM busybox\nRUN --mount=target=/ true\n', /Dockerfile:2: .*invalid mount target "\/"/],
];
for (const [text, error] of located) {
  test(`planning error is located: ${error.source}`, () => {
    assert.throws(() => planBuild(parseInstructions(text, 'Dockerfile')), (err: unknown) => err instanceof DockerfileError && error.test(err.message));
  });
}
