import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CredentialStore, DOCKER_HUB_KEY, configKey, dockerConfigPath, type HelperRunner } from '../../../runtime/registry/credentials';

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-creds-'));
    try {
      await fn(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** A credential helper kept in memory, recording every call (as docker-credential-* would get them). */
function fakeHelper() {
  const secrets = new Map<string, { Username: string; Secret: string }>();
  const calls: Array<[string, string, string]> = [];
  const run: HelperRunner = async (helper, action, input) => {
    calls.push([helper, action, input]);
    if (action === 'store') {
      const v = JSON.parse(input) as { ServerURL: string; Username: string; Secret: string };
      secrets.set(v.ServerURL, { Username: v.Username, Secret: v.Secret });
      return '';
    }
    const found = secrets.get(input);
    if (!found) throw new Error(`credential helper docker-credential-${helper} ${action} failed (exit 1): credentials not found in native keychain`);
    if (action === 'erase') { secrets.delete(input); return ''; }
    return JSON.stringify({ ServerURL: input, ...found });
  };
  return { run, calls, secrets };
}

const keyCases: Array<[string, string]> = [['docker.io', DOCKER_HUB_KEY], ['index.docker.io', DOCKER_HUB_KEY], ['localhost:5000', 'localhost:5000'], ['ghcr.io', 'ghcr.io']];
for (const [domain, key] of keyCases) test(`config key of ${domain} is ${key}`, () => assert.equal(configKey(domain), key));

test('config path honours DOCKER_CONFIG, else HOME/.docker', () => {
  assert.equal(dockerConfigPath({ DOCKER_CONFIG: '/x/y' }), '/x/y/config.json');
  assert.equal(dockerConfigPath({ HOME: '/home/u' }), '/home/u/.docker/config.json');
});

test('store then get with base64 auths, keeping other keys; file mode 0600; erase removes', withDir(async (dir) => {
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ psFormat: 'table {{.ID}}', auths: { 'other:1': { auth: Buffer.from('o:p').toString('base64') } } }));
  const store = new CredentialStore({ configPath: file });
  await store.store('localhost:5000', { username: 'alice', password: 'pa:ss' });
  const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { psFormat: string; auths: Record<string, { auth: string }> };
  assert.equal(written.psFormat, 'table {{.ID}}');
  assert.equal(written.auths['localhost:5000'].auth, Buffer.from('alice:pa:ss').toString('base64'));
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(await store.get('localhost:5000'), { username: 'alice', password: 'pa:ss' });
  assert.deepEqual(await store.get('other:1'), { username: 'o', password: 'p' });
  assert.equal(await store.get('nowhere:1'), undefined);
  assert.equal(await store.erase('localhost:5000'), true);
  assert.equal(await store.erase('localhost:5000'), false);
  assert.equal(await store.get('localhost:5000'), undefined);
}));

test('Docker Hub credentials live under https://index.docker.io/v1/; identity tokens are read', withDir(async (dir) => {
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ auths: { [DOCKER_HUB_KEY]: { auth: Buffer.from('u:').toString('base64'), identitytoken: 'refresh-me' } } }));
  assert.deepEqual(await new CredentialStore({ configPath: file }).get('docker.io'), { identityToken: 'refresh-me' });
}));

test('a missing config file means no credentials; a malformed one is an error naming the file', withDir(async (dir) => {
  assert.equal(await new CredentialStore({ configPath: path.join(dir, 'none.json') }).get('x:1'), undefined);
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{ nope');
  await assert.rejects(new CredentialStore({ configPath: bad }).get('x:1'), (err: Error) => err.message.includes(bad) && /not valid JSON/.test(err.message));
}));

test('credsStore: secrets go to the helper, config.json keeps only an empty entry', withDir(async (dir) => {
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ credsStore: 'pass' }));
  const helper = fakeHelper();
  const store = new CredentialStore({ configPath: file, runHelper: helper.run });
  await store.store('registry.example.com', { username: 'bob', password: 'hunter2' });
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).auths, { 'registry.example.com': {} });
  assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /hunter2/);
  assert.deepEqual(await store.get('registry.example.com'), { username: 'bob', password: 'hunter2' });
  assert.equal(await store.get('unknown.example.com'), undefined, '"credentials not found" is no credentials, not an error');
  assert.equal(await store.erase('registry.example.com'), true);
  assert.deepEqual(helper.calls.map(([h, a]) => `${h} ${a}`), ['pass store', 'pass get', 'pass get', 'pass erase']);
}));

test('credHelpers wins over credsStore for its registry; "<token>" user means an identity token', withDir(async (dir) => {
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ credsStore: 'pass', credHelpers: { 'gcr.io': 'gcloud' } }));
  const helper = fakeHelper();
  helper.secrets.set('gcr.io', { Username: '<token>', Secret: 'tok' });
  const store = new CredentialStore({ configPath: file, runHelper: helper.run });
  assert.deepEqual(await store.get('gcr.io'), { identityToken: 'tok' });
  assert.deepEqual(helper.calls[0].slice(0, 2), ['gcloud', 'get']);
}));

test('a real docker-credential-<name> program on PATH: store, get, erase through its stdin/stdout', withDir(async (dir) => {
  // A helper in shell keeping one secret per server in files, speaking the helper protocol.
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const vault = path.join(dir, 'vault');
  fs.mkdirSync(vault);
  fs.writeFileSync(path.join(bin, 'docker-credential-slipwaytest'), [
    '#!/bin/sh',
    `V=${vault}`,
    'in=$(cat)',
    'case "$1" in',
    '  store) key=$(printf %s "$in" | sed -n \'s/.*"ServerURL":"\\([^"]*\\)".*/\\1/p\'); printf %s "$in" > "$V/$key" ;;',
    '  get) if [ -f "$V/$in" ]; then cat "$V/$in"; else echo "credentials not found in native keychain"; exit 1; fi ;;',
    '  erase) rm -f "$V/$in" ;;',
    'esac',
  ].join('\n') + '\n', { mode: 0o755 });
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ credsStore: 'slipwaytest' }));
  const store = new CredentialStore({ configPath: file, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  await store.store('reg.test:5000', { username: 'eve', password: 'helper-secret' });
  assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /helper-secret/);
  assert.deepEqual(await store.get('reg.test:5000'), { username: 'eve', password: 'helper-secret' });
  assert.equal(await store.get('other.test'), undefined);
  assert.equal(await store.erase('reg.test:5000'), true);
  assert.equal(await store.get('reg.test:5000'), undefined);
}));

test('a helper that is not installed is named in the error', withDir(async (dir) => {
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ credsStore: 'nonexistent-xyz' }));
  await assert.rejects(new CredentialStore({ configPath: file, env: { PATH: dir } }).get('r.test'), /credential helper docker-credential-nonexistent-xyz could not be started/);
}));
