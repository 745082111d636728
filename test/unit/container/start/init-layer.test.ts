import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostsFile, resolvConf, writeInitLayer } from '../../../../runtime/container/start/init-layer';

const resolvCases: Array<[string, Parameters<typeof resolvConf>[0], string]> = [
  ['drops loopback servers, keeps search and options', { hostname: 'h', hostResolvConf: 'search corp.example\nnameserver 127.0.0.53\nnameserver 10.1.1.1\noptions ndots:2\n' },
    'search corp.example\nnameserver 10.1.1.1\noptions ndots:2\n'],
  ['only loopback: Docker\'s public fallback', { hostname: 'h', hostResolvConf: 'nameserver 127.0.0.1\n' }, 'nameserver 8.8.8.8\nnameserver 8.8.4.4\n'],
  ['--dns and --dns-search win', { hostname: 'h', dns: ['1.1.1.1'], dnsSearch: ['a.b'], hostResolvConf: 'nameserver 10.0.0.1\n' }, 'search a.b\nnameserver 1.1.1.1\n'],
];
for (const [name, o, text] of resolvCases) test(`resolv.conf: ${name}`, () => assert.equal(resolvConf(o), text));

test('hosts: localhost lines, --add-host entries, the hostname with its domain', () => {
  const text = hostsFile({ hostname: 'web', domainname: 'example.org', extraHosts: ['db:10.0.0.5'] });
  assert.match(text, /^127\.0\.0\.1\tlocalhost\n/);
  assert.match(text, /\n10\.0\.0\.5\tdb\n/);
  assert.match(text, /\n127\.0\.1\.1\tweb\.example\.org web\n$/);
  assert.throws(() => hostsFile({ hostname: 'x', extraHosts: ['nocolon'] }), /invalid --add-host "nocolon"/);
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-initlayer-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
test('writeInitLayer writes the three files and the mount point dirs', () => {
  writeInitLayer(dir, { hostname: 'box', hostResolvConf: 'nameserver 10.0.0.1\n' });
  assert.equal(fs.readFileSync(path.join(dir, 'etc/hostname'), 'utf8'), 'box\n');
  assert.match(fs.readFileSync(path.join(dir, 'etc/hosts'), 'utf8'), /127\.0\.1\.1\tbox/);
  assert.equal(fs.readFileSync(path.join(dir, 'etc/resolv.conf'), 'utf8'), 'nameserver 10.0.0.1\n');
  for (const d of ['proc', 'sys', 'dev/pts', 'dev/shm']) assert.ok(fs.statSync(path.join(dir, d)).isDirectory(), d);
});
