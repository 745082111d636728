// Entry of the `container-worker` bundle: a disposable Worker thread whose namespaces,
// credentials and capabilities may be changed freely (they are per thread; DESIGN.md facts
// 2, 5, 8). One job per Worker; the job kinds and messages are in start/protocol.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { LibcSyscalls } from '../../linux/libc';
import { runExecJob } from '../exec/worker-exec';
import { runPublishJob } from '../ports/worker-publish';
import type { WorkerJob } from '../start/protocol';
import { failureOf } from '../start/steps';
import { runStartJob } from '../start/worker-start';

const job = workerData as WorkerJob;
const port = parentPort;
if (!port) throw new Error('container-worker must run as a worker thread');
try {
  const sys = new LibcSyscalls();
  if (job.kind === 'start') runStartJob(sys, job, port);
  else if (job.kind === 'exec') runExecJob(sys, job, port);
  else if (job.kind === 'publish') runPublishJob(sys, job, port);
  else throw new Error(`unknown container-worker job ${JSON.stringify((job as { kind?: unknown }).kind)}`);
} catch (err) {
  port.postMessage({ type: 'failed', failure: failureOf('container worker', undefined, err) });
  port.close();
}
