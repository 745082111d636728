// The container-worker's side of port publishing (DESIGN.md fact 8): listen on the host port
// while this thread is still in the host's network namespace, then setns() into the
// container's; every upstream connection made afterwards is created inside the container, so
// 127.0.0.1:containerPort is the container's loopback. No bridge, no iptables.
import fs from 'node:fs';
import net from 'node:net';
import type { MessagePort } from 'node:worker_threads';
import { CLONE } from '../../linux/constants';
import type { Syscalls } from '../../linux/syscalls';
import { expectMessage, type MainMessage, type PublishJob, type WorkerEvent } from '../start/protocol';
import { failureOf } from '../start/steps';

export function runPublishJob(sys: Syscalls, job: PublishJob, port: MessagePort): void {
  const post = (e: WorkerEvent) => port.postMessage(e);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(job.containerPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    const message = err.code === 'EADDRINUSE'
      ? `Bind for ${job.hostIp}:${job.hostPort} failed: port is already allocated`
      : `cannot listen on ${job.hostIp}:${job.hostPort}: ${err.message}`;
    post({ type: 'failed', failure: { step: 'listen', path: `${job.hostIp}:${job.hostPort}`, code: err.code, message, exitCode: 1 } });
    port.close();
  });
  server.listen(job.hostPort, job.hostIp, () => {
    try {
      const fd = fs.openSync(`/proc/${job.pid}/ns/net`, 'r');
      try { sys.setns(fd, CLONE.NEWNET); } finally { fs.closeSync(fd); }
    } catch (err) {
      server.close();
      post({ type: 'failed', failure: failureOf('join network namespace', `/proc/${job.pid}/ns/net`, err) });
      port.close();
      return;
    }
    post({ type: 'listening', port: (server.address() as net.AddressInfo).port });
  });
  port.on('message', (raw: unknown) => {
    try { expectMessage<MainMessage, 'close'>('the service', raw, ['close']); } catch { /* close anyway */ }
    for (const s of sockets) s.destroy();
    server.close(() => port.close());
  });
}
