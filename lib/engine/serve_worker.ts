import type { FromWorker, InitMessage, ToWorker } from "./worker_protocol.ts";
import { toWireError } from "./worker_protocol.ts";

/** What a task handler gets besides its payload. */
export interface TaskContext<Ev> {
  /** Aborted when the main thread cancels the task. */
  signal: AbortSignal;
  /** Sends a progress event to whoever submitted the task. */
  emit(event: Ev): void;
  /** Marks buffers of the result to be moved, not copied, back to the main thread. */
  transfer(list: Transferable[]): void;
}

/**
 * Worker side of a WorkerPool: call once at the top of a worker module. Each task runs `handler`;
 * its return value or error goes back over the pool's port.
 *
 * @example
 * ```ts
 * serveWorker<{ n: number }, number, never>(({ n }) => Promise.resolve(n * 2));
 * ```
 */
export function serveWorker<Req, Res, Ev = never>(
  handler: (payload: Req, ctx: TaskContext<Ev>) => Promise<Res>,
): void {
  const scope = globalThis as unknown as {
    onmessage: ((e: MessageEvent<InitMessage>) => void) | null;
  };
  scope.onmessage = (e) => {
    if (e.data?.kind !== "init") return;
    const port = e.data.port;
    const running = new Map<number, AbortController>();
    const send = (msg: FromWorker<Res, Ev>, transfer: Transferable[] = []) => port.postMessage(msg, transfer);
    port.onmessage = (m: MessageEvent<ToWorker<Req>>) => {
      const msg = m.data;
      if (msg.kind === "cancel") {
        running.get(msg.id)?.abort(new DOMException("Task cancelled", "AbortError"));
        return;
      }
      const ac = new AbortController();
      running.set(msg.id, ac);
      let transfer: Transferable[] = [];
      const ctx: TaskContext<Ev> = {
        signal: ac.signal,
        emit: (event) => send({ kind: "event", id: msg.id, event }),
        transfer: (list) => void (transfer = list),
      };
      handler(msg.payload, ctx).then(
        (value) => send({ kind: "done", id: msg.id, value }, transfer),
        (err) => send({ kind: "fail", id: msg.id, error: toWireError(err) }),
      ).finally(() => running.delete(msg.id));
    };
    send({ kind: "ready" });
  };
}
