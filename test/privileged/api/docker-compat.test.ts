// Docker compatibility fixes of the issue #3 audit, through the stock docker CLI and `slipway`
// against a real service: run -t's terminal size from the first byte (HostConfig.ConsoleSize),
// hosts/hostname/resolv.conf bound from the container's own files (never in diff or commit),
// --group-add, --network host with -h, -w naming a file, exec -w a missing dir (126),
// start -a/-ai of a stopped container, stats without names, logs --tail abc, kill's wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { privileged, requires } from '../../helpers/tiers';
import { DOCKER, IMAGE, sandboxForFile, slipwayBin } from './harness';

const opts = fs.existsSync(DOCKER) ? privileged : requires(`requires ${DOCKER}`);
const box = sandboxForFile({
  when: () => fs.existsSync(DOCKER),
  ready: (b) => assert.equal(b.docker('run', '-d', '--name', 'up', IMAGE, 'sleep', '300').status, 0),
});

const ok = (r: { status: number | null; stderr: string }) => assert.equal(r.status, 0, r.stderr);

/** Runs `command` in a pseudo-terminal of 33 rows and 101 columns (util-linux script). */
const inTerminal = (command: string) => box.run('script', ['-qec', `stty rows 33 cols 101; ${command}`, '/dev/null'], { input: '' });

for (const [cli, bin] of [['docker', DOCKER], ['slipway', slipwayBin]]) {
  test(`${cli} run -it: the container's terminal has the client's size from the start`, opts, () => {
    const r = inTerminal(`${bin} run -it --rm ${IMAGE} stty size`);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /(^|[^\d])33 101\r?\n/);
  });
}

test('hosts/hostname/resolv.conf: the container edits its own files; diff and commit never see them', opts, () => {
  ok(box.docker('exec', 'up', 'sh', '-c', 'echo "10.9.8.7 extra" >> /etc/hosts && echo "nameserver 10.0.0.9" > /etc/resolv.conf && echo x > /tmp/seen'));
  assert.match(box.docker('exec', 'up', 'cat', '/etc/hosts').stdout, /10\.9\.8\.7 extra/, 'the container reads its own entries');
  assert.equal(box.docker('exec', 'up', 'cat', '/etc/hostname').stdout.trim(), box.docker('inspect', '-f', '{{.Config.Hostname}}', 'up').stdout.trim());
  const diff = box.docker('diff', 'up').stdout;
  assert.match(diff, /A \/tmp\/seen/, 'other writes are in the diff');
  assert.doesNotMatch(diff, /\/etc\/(hosts|hostname|resolv\.conf)/);
  ok(box.docker('commit', 'up', 'slipway-test/committed:1'));
  const fromCommit = box.docker('run', '--rm', 'slipway-test/committed:1', 'cat', '/etc/hosts', '/etc/resolv.conf');
  ok(fromCommit);
  assert.doesNotMatch(fromCommit.stdout, /10\.9\.8\.7|10\.0\.0\.9/);
});

test('hosts: a file the user bind-mounts over /etc/hosts is his, not the container\'s', opts, () => {
  const file = `${box.dir}/my-hosts`;
  fs.writeFileSync(file, '10.1.1.1 mine\n');
  const r = box.docker('run', '--rm', '-v', `${file}:/etc/hosts:ro`, IMAGE, 'cat', '/etc/hosts');
  ok(r);
  assert.equal(r.stdout, '10.1.1.1 mine\n');
});

test('--group-add: gids and names from the image\'s /etc/group, for run and exec; an unknown name is Docker\'s error', opts, () => {
  const r = box.docker('run', '--rm', '--group-add', '4242', '--group-add', 'staff', IMAGE, 'id', '-G');
  ok(r);
  assert.deepEqual(r.stdout.trim().split(' ').map(Number).sort((a, b) => a - b), [0, 50, 4242]);
  ok(box.slipway('run', '-d', '--name', 'grouped', '--group-add', 'nogroup', IMAGE, 'sleep', '300'));
  assert.match(box.docker('exec', 'grouped', 'id', '-G').stdout, /\b65534\b/);
  const bad = box.docker('run', '--rm', '--group-add', 'nosuch', IMAGE, 'true');
  assert.equal(bad.status, 125);
  assert.match(bad.stderr, /Error response from daemon: Unable to find group nosuch: no matching entries in group file/);
});

test('--network host --hostname foo: allowed as by docker 28, the container is named foo', opts, () => {
  const r = box.docker('run', '--rm', '--network', 'host', '--hostname', 'foo', IMAGE, 'hostname');
  ok(r);
  assert.equal(r.stdout, 'foo\n');
});

test('-w naming a file: docker\'s "Cannot mkdir" with the container\'s path, no host path; a --rm container goes', opts, () => {
  const r = box.docker('run', '--rm', '-w', '/etc/passwd', IMAGE, 'true');
  assert.equal(r.status, 125);
  assert.match(r.stderr, /Error response from daemon: Cannot mkdir: \/etc\/passwd is not a directory/);
  assert.doesNotMatch(r.stderr, new RegExp(box.dir));
  assert.equal(box.docker('ps', '-aq', '--filter', 'status=created').stdout, '', 'the --rm container was removed');
});

test('exec -w a missing directory: exit 126 with runc\'s chdir wording', opts, () => {
  const r = box.docker('exec', '-w', '/nonexist', 'up', 'true');
  assert.equal(r.status, 126, r.stderr);
  assert.match(r.stdout + r.stderr, /OCI runtime exec failed: .*chdir to cwd \("\/nonexist"\)/);
});

test('start -a / -ai of an exited container: its output and exit code (docker and slipway)', opts, () => {
  ok(box.docker('create', '--name', 'once', IMAGE, 'sh', '-c', 'echo "run $$"; exit 3'));
  for (const cli of ['docker', 'slipway'] as const) {
    for (const flags of [['-a'], ['-ai']]) {
      const r = box[cli]('start', ...flags, 'once');
      assert.equal(r.status, 3, `${cli} start ${flags.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, 'run 1\n');
    }
  }
  ok(box.docker('create', '-i', '--name', 'reader', IMAGE, 'sh', '-c', 'read line; echo "got $line"'));
  const r = box.run(slipwayBin, ['start', '-ai', 'reader'], { input: 'hello\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'got hello\n');
  const attach = box.slipway('attach', 'once');
  assert.equal(attach.status, 1);
  assert.match(attach.stderr, /You cannot attach to a stopped container, start it first/);
});

test('stats --no-stream without names: every running container; logs --tail abc is all; kill of a stopped one', opts, () => {
  const stats = box.slipway('stats', '--no-stream', '--format', '{{.Name}}');
  ok(stats);
  const running = box.docker('ps', '--format', '{{.Names}}').stdout.split('\n').filter(Boolean).sort();
  assert.deepEqual(stats.stdout.split('\n').filter(Boolean).sort(), running);
  assert.ok(running.includes('up'));

  ok(box.docker('run', '--name', 'lines', IMAGE, 'sh', '-c', 'echo a; echo b; echo c'));
  for (const cli of ['docker', 'slipway'] as const) {
    const logs = box[cli]('logs', '--tail', 'abc', 'lines');
    ok(logs);
    assert.equal(logs.stdout, 'a\nb\nc\n');
  }
  const id = box.docker('inspect', '-f', '{{.Id}}', 'lines').stdout.trim();
  const kill = box.docker('kill', 'lines');
  assert.equal(kill.status, 1);
  assert.equal(kill.stderr, `Error response from daemon: cannot kill container: lines: container ${id} is not running\n`);
});
