// Entry of the `container-worker` bundle: a disposable Worker thread whose namespaces,
// credentials and capabilities may be changed freely (they are per thread; DESIGN.md facts
// 2, 5, 8). One job per Worker, given as workerData or — for a pooled Worker that started
// ahead of time — as the first message. The job kinds and messages are in start/protocol.ts.
import type { ChildProcess } from 'node:child_process';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { LibcSyscalls } from '../../linux/libc';
import type { Syscalls } from '../../linux/syscalls';
import { runExecJob } from '../exec/worker-exec';
import { runPublishJob } from '../ports/worker-publish';
import { expectMessage, namespaceKey, prewarmKey, startConfig, type MainMessage, type PooledWorker, type WorkerJob } from '../start/protocol';
import { failureOf } from '../start/steps';
import { driveInit, runStartJob, spawnInit } from '../start/worker-start';
import { tracing } from '../../common/trace';

function runJob(sys: Syscalls, job: WorkerJob, port: MessagePort): void {
  if (job.kind === 'start') runStartJob(sys, job, port);
  else if (job.kind === 'exec') runExecJob(sys, job, port);
  else if (job.kind === 'publish') runPublishJob(sys, job, port);
  else throw new Error(`unknown container-worker job ${JSON.stringify((job as { kind?: unknown }).kind)}`);
}

function waitForJob(sys: Syscalls, data: PooledWorker, port: MessagePort): void {
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
      driveInit(init, startConfig(job, tracing()), port, sys, { awaitContinue: !job.cgroupTasks });
    } catch (err) {
      port.postMessage({ type: 'failed', failure: failureOf('container worker', undefined, err) });
      port.close();
    }
  });
}

const port = parentPort;
if (!port) throw new Error('container-worker must run as a worker thread');
try {
  const sys = new LibcSyscalls();
  const data = workerData as WorkerJob | PooledWorker;
  if ('pooled' in data) waitForJob(sys, data, port);
  else runJob(sys, data, port);
} catch (err) {
  port.postMessage({ type: 'failed', failure: failureOf('container worker', undefined, err) });
  port.close();
}
