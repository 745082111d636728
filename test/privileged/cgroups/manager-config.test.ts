// The config layer's output run for real through the manager and the start-up: Docker's
// default capabilities, user and supplementary groups from the image's /etc files, hostname =
// short id, env, a named volume pre-filled from the image and surviving its container, a
// read-only bind mount, and exec with the spec the manager builds for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectCgroups } from '../../../runtime/cgroups';
import { ContainerManager } from '../../../runtime/container/manager';
import { createStarter } from '../../../runtime/container/starter';
import { writeInitLayer } from '../../../runtime/container/start/init-layer';
import { ContainerStore } from '../../../runtime/container/state';
import { parseEntry } from '../../../runtime/container/logs';
import { execInContainer } from '../../../runtime/container/exec/exec';
import { VolumeStore } from '../../../runtime/volumes';
import { makeBusyboxRootfs } from '../../helpers/rootfs';
import { privileged } from '../../helpers/tiers';
import { bundles, sys } from '../container/harness';

test('run through the manager: caps, user, hostname, env, volumes, read-only bind', privileged, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-mgrcfg-'));
  let removeAll = async () => {};
  try {
    const rootfs = makeBusyboxRootfs(path.join(root, 'image')).path;
    fs.mkdirSync(path.join(rootfs, 'srv/data'), { recursive: true });
    fs.writeFileSync(path.join(rootfs, 'srv/data/seed.txt'), 'seeded\n');
    const hostDir = path.join(root, 'host');
    fs.mkdirSync(hostDir);
    fs.writeFileSync(path.join(hostDir, 'hello'), 'from the host\n');

    const state = path.join(root, 'state');
    const store = new ContainerStore(state);
    const volumes = new VolumeStore(state, { usedBy: (n) => store.list().filter((r) => ContainerManager.volumesOf(r).includes(n)).map((r) => r.id) });
    const errors: string[] = [];
    const manager = new ContainerManager({
      store, volumes, cgroups: detectCgroups(), starter: createStarter(sys(), bundles()),
      images: { resolve: async () => ({ id: `sha256:${'d'.repeat(64)}`, config: { Env: ['FROM_IMAGE=1'], Cmd: ['sh'] }, layers: [rootfs] }) },
      publish: () => undefined,
      host: { cpus: os.cpus().length, hostname: os.hostname(), memory: os.totalmem() },
      writeInitLayer: (dir, o) => writeInitLayer(dir, o),
      onError: (ctx, err) => errors.push(`${ctx}: ${String(err)}`),
    });
    await store.load();
    removeAll = async () => { for (const r of store.list()) await manager.remove(r.id, { force: true }).catch(() => undefined); };

    const run = async (body: Parameters<ContainerManager['create']>[0]) => {
      const { Id } = await manager.create(body);
      await manager.start(Id);
      const { StatusCode } = await manager.wait(Id);
      const out = fs.readFileSync(store.get(Id).logPath, 'utf8').split('\n').filter(Boolean).map((l) => parseEntry(l)!.log).join('');
      return { Id, StatusCode, out };
    };

    const script = [
      'grep CapEff /proc/self/status', 'hostname', 'echo "env=$FROM_IMAGE:$HOME"', 'cat /srv/data/seed.txt',
      'echo kept > /srv/data/new.txt', 'cat /ro/hello', 'touch /ro/x 2>/dev/null && echo writable || echo read-only',
    ].join('; ');
    const a = await run({ Image: 'busybox', Cmd: ['sh', '-c', script], HostConfig: { Binds: ['shared:/srv/data', `${hostDir}:/ro:ro`] } });
    assert.equal(a.StatusCode, 0, a.out);
    assert.equal(a.out, ['CapEff:\t00000000a80425fb', a.Id.slice(0, 12), 'env=1:/root', 'seeded', 'from the host', 'read-only', ''].join('\n'));
    assert.equal(fs.existsSync(path.join(hostDir, 'x')), false);

    // A second container, as a named user: groups from /etc/group, HOME from /etc/passwd, and
    // the named volume still holds what the first one wrote.
    const b = await run({ Image: 'busybox', User: 'user', Cmd: ['sh', '-c', 'id -u; id -G; echo $HOME; cat /srv/data/new.txt; grep CapEff /proc/self/status'], HostConfig: { Binds: ['shared:/srv/data'] } });
    assert.equal(b.out, ['1000', '1000 50', '/home/user', 'kept', 'CapEff:\t0000000000000000', ''].join('\n'));

    // exec through the manager's execTarget: the container's user and env, the exec's own,
    // and the new process lands in the container's cgroup (moved right after its spawn, so
    // the check runs in a child forked a little later).
    const { Id: cId } = await manager.create({ Image: 'busybox', User: 'user', Env: ['CTR=1'], Cmd: ['sh', '-c', 'sleep 30'] });
    await manager.start(cId);
    const t = manager.execTarget(cId, { Cmd: ['sh', '-c', 'id -u; echo "$CTR$EXTRA:$HOME"; pwd; sleep 0.3; grep -c slipway/ /proc/self/cgroup'], Env: ['EXTRA=2'], WorkingDir: '/tmp' });
    const ex = await execInContainer(t.pid, t.process, { sys: sys(), ...bundles(), cgroupProcs: t.cgroupProcs });
    let exOut = '';
    ex.stdout?.setEncoding('utf8').on('data', (d: string) => { exOut += d; });
    const exStatus = await ex.exited;
    if (ex.stdout && !ex.stdout.readableEnded) await new Promise((r) => ex.stdout!.once('close', r));
    assert.equal(exStatus.exitCode, 0);
    const [uid, env, cwd, cgroupLines] = exOut.trim().split('\n');
    assert.deepEqual([uid, env, cwd], ['1000', '12:/home/user', '/tmp']);
    assert.ok(Number(cgroupLines) >= 3, `exec process in the container's cgroups (${cgroupLines} hierarchies)`);
    await manager.remove(cId, { force: true });

    await manager.remove(a.Id);
    await manager.remove(b.Id, { volumes: true });
    assert.deepEqual(volumes.list().Volumes.map((v) => v.Name), ['shared'], 'named volume outlives its containers');
    assert.deepEqual(errors, []);
  } finally {
    await removeAll();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
