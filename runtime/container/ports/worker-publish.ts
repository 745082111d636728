// The container-worker's side of port publishing (DESIGN.md fact 8): listen on the host port
// while this thread is still in the host's network namespace, then setns() into the
// container's; every upstream connection made afterwards is created inside the container, so
// 127.0.0.1:containerPort is the container's loopback. No bridge, no iptables.
//
// A job with pid 0 listens at once and joins later ("join" message): the service binds a
// container's ports before its process starts, as dockerd does, so a taken port fails the
// start before the user's command runs. Connections accepted before the join wait for it.
import fs from 'node:fs';
import net from 'node:net';
import type { MessagePort } from 'node:worker_threads';
import { CLONE } from '../../linux/constants';
import type { Syscalls } from '../../linux/syscalls';
import { expectMessage, type MainMessage, type PublishJob, type WorkerEvent } from '../start/protocol';
import { failureOf } from '../start/steps';

/** moby's wording for a bind that failed (portmapper's "Error starting userland proxy: …"). */
export function listenFailureMessage(hostIp: string, hostPort: number, err: NodeJS.ErrnoException): string {
  const tcp = net.isIPv6(hostIp) ? 'tcp6' : 'tcp4';
  const why = err.code === 'EADDRINUSE' ? 'address already in use' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EADDRNOTAVAIL' ? 'cannot assign requested address' : err.message;
  return `Error starting userland proxy: listen ${tcp} ${net.isIPv6(hostIp) ? `[${hostIp}]` : hostIp}:${hostPort}: bind: ${why}`;
}

export function runPublishJob(sys: Syscalls, job: PublishJob, port: MessagePort): void {
  const post = (e: WorkerEvent) => port.postMessage(e);
  const sockets = new Set<net.Socket>();
  let joined: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { joined = resolve; });
  const server = net.createServer((client) => {
    sockets.add(client);
    client.pause();
    void ready.then(() => {
      if (client.destroyed) return;
      const upstream = net.connect(job.containerPort, '127.0.0.1');
      sockets.add(upstream);
      const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  });
  const join = (pid: number): boolean => {
    try {
      const fd = fs.openSync(`/proc/${pid}/ns/net`, 'r');
      try { sys.setns(fd, CLONE.NEWNET); } finally { fs.closeSync(fd); }
    } catch (err) {
      server.close();
      post({ type: 'failed', failure: failureOf('join network namespace', `/proc/${pid}/ns/net`, err) });
      port.close();
      return false;
    }
    joined();
    return true;
  };
  server.on('error', (err: NodeJS.ErrnoException) => {
    const message = listenFailureMessage(job.hostIp, job.hostPort, err);
    post({ type: 'failed', failure: { step: 'listen', path: `${job.hostIp}:${job.hostPort}`, code: err.code, message, exitCode: 1 } });
    port.close();
  });
  server.listen(job.hostPort, job.hostIp, () => {
    if (job.pid && !join(job.pid)) return;
    post({ type: 'listening', port: (server.address() as net.AddressInfo).port });
  });
  port.on('message', (raw: unknown) => {
    let msg: MainMessage | undefined;
    try { msg = expectMessage<MainMessage, 'join' | 'close'>('the service', raw, ['join', 'close']); } catch { /* close anyway */ }
    if (msg?.type === 'join') {
      if (join(msg.pid)) post({ type: 'joined' });
      return;
    }
    for (const s of sockets) s.destroy();
    server.close(() => port.close());
  });
}
