// Entry of the `container-worker` bundle: a disposable Worker thread whose namespaces,
// credentials and capabilities may be changed freely (they are per thread; DESIGN.md facts
// 2, 5, 8). One job per Worker, given as workerData or — for a pooled Worker that started
// ahead of time — as the first message; a pre-warmed Worker, which never changes its own
// credentials, may be offered again once its container has exited (offerAgain). The job
// kinds and messages are in start/protocol.ts.
import type { ChildProcess } from 'node:child_process';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { LibcSyscalls } from '../../linux/libc';
import type { Syscalls } from '../../linux/syscalls';
import { runExecJob } from '../exec/worker-exec';
import { runPublishJob } from '../ports/worker-publish';
import { expectMessage, namespaceKey, prewarmKey, startConfig, type MainMessage, type PooledWorker, type WorkerEvent, type WorkerJob } from '../start/protocol';
import { failureOf } from '../start/steps';
import { driveInit, homeNamespaces, runStartJob, spawnInit } from '../start/worker-start';
import { tracing } from '../../common/trace';

function runJob(sys: Syscalls, job: WorkerJob, port: MessagePort): void {
  if (job.kind === 'start') runStartJob(sys, job, port);
  else if (job.kind === 'exec') runExecJob(sys, job, port);
  else if (job.kind === 'publish') runPublishJob(sys, job, port);
  else throw new Error(`unknown container-worker job ${JSON.stringify((job as { kind?: unknown }).kind)}`);
}

function waitForJob(sys: Syscalls, data: PooledWorker, port: MessagePort, home?: { restore(): void }): void {
  let init: ChildProcess | undefined;
  if (data.prewarm) init = spawnInit(sys, data.prewarm.namespaces.map((type) => ({ type })), data.prewarm.nodePath, data.prewarm.initPath);
  port.once('message', (raw: unknown) => {
    try {
      const { job } = expectMessage<MainMessage, 'job'>('the service', raw, ['job']);
      if (!init) return runJob(sys, job, port);
      // This thread's namespaces were made for that init: only a matching start job fits.
      if (job.kind !== 'start' || prewarmKey(job.spec) !== namespaceKey(data.prewarm?.namespaces ?? [])) {
        init.kill('SIGKILL');
        throw new Error(`a pre-warmed worker cannot run this ${job.kind} job`);
      }
      const onExit = home ? () => offerAgain(sys, data, port, home) : undefined;
      driveInit(init, startConfig(job, tracing()), port, sys, { awaitContinue: !job.cgroupTasks, onExit });
    } catch (err) {
      port.postMessage({ type: 'failed', failure: failureOf('container worker', undefined, err) });
      port.close();
    }
  });
}

/**
 * A pre-warmed Worker whose container has exited: back to this thread's own namespaces, then
 * "idle" — the pool answers "prewarm" (this Worker pre-warms again and waits for the next
 * job) or ends it. Anything that fails here ends the Worker, as a one-job Worker ends.
 */
function offerAgain(sys: Syscalls, data: PooledWorker, port: MessagePort, home: { restore(): void }): void {
  try {
    home.restore();
  } catch {
    port.close();
    return;
  }
  port.once('message', (raw: unknown) => {
    try {
      expectMessage<MainMessage, 'prewarm'>('the service', raw, ['prewarm']);
      waitForJob(sys, data, port, home);
    } catch {
      port.close();
    }
  });
  port.postMessage({ type: 'idle' } satisfies WorkerEvent);
}

const port = parentPort;
if (!port) throw new Error('container-worker must run as a worker thread');
try {
  const sys = new LibcSyscalls();
  const data = workerData as WorkerJob | PooledWorker;
  if ('pooled' in data) waitForJob(sys, data, port, data.prewarm ? homeNamespaces(sys) : undefined);
  else runJob(sys, data, port);
} catch (err) {
  port.postMessage({ type: 'failed', failure: failureOf('container worker', undefined, err) });
  port.close();
}
