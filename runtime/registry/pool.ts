// Runs tasks with at most `limit` at once (Docker pulls and pushes 3 layers at a time). After
// the first failure no new task starts, `signal` is aborted so running ones can stop early,
// and the first error is thrown once every started task has settled — so the caller's
// clean-up never races a task still writing.
export async function runBounded<T>(items: readonly T[], limit: number, task: (item: T, index: number, signal: AbortSignal) => Promise<void>, parent?: AbortSignal): Promise<void> {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParent, { once: true });
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async () => {
    while (!failure && !controller.signal.aborted && next < items.length) {
      const i = next++;
      try {
        await task(items[i], i, controller.signal);
      } catch (err) {
        failure ??= { err };
        controller.abort(err);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  } finally {
    parent?.removeEventListener('abort', onParent);
  }
  if (failure) throw failure.err;
  if (parent?.aborted) throw parent.reason instanceof Error ? parent.reason : new Error('aborted');
}
