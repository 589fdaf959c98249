/**
 * Settles as `p` does, or rejects with the signal's reason as soon as it aborts: for waits on work
 * that takes no signal of its own (the work goes on; its result is then ignored).
 */
export function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  // what p comes to after a stop is of no interest, but it must not go unhandled (often it fails
  // with the same stop: an uncaught rejection would end the process with exit 1, not 75)
  p.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
