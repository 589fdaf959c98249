/**
 * The typed messages between a WorkerPool (main thread) and serveWorker (inside a worker).
 * After `init` hands the worker one end of a MessageChannel, everything goes over that port.
 */
import { TgpipeError } from "../core/errors.ts";

/** An error as it crosses a port: enough to rebuild a TgpipeError with its code and data. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  data?: Record<string, unknown>;
}

/** Main thread -> worker. */
export type ToWorker<Req> =
  | { kind: "task"; id: number; payload: Req }
  | { kind: "cancel"; id: number };

/**
 * Worker -> main thread. `ready` comes first, once the worker's module has loaded and it listens:
 * the pool sends no task before it, so a worker that dies earlier never ran any.
 */
export type FromWorker<Res, Ev> =
  | { kind: "ready" }
  | { kind: "event"; id: number; event: Ev }
  | { kind: "done"; id: number; value: Res }
  | { kind: "fail"; id: number; error: WireError };

/** The first message on the worker itself, carrying its port. */
export interface InitMessage {
  kind: "init";
  port: MessagePort;
}

/** Flattens any thrown value into a WireError (TgpipeError code/data kept). */
export function toWireError(err: unknown): WireError {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; data?: unknown };
    const out: WireError = { name: e.name, message: e.message };
    if (typeof e.code === "string") out.code = e.code;
    if (e.data && typeof e.data === "object") out.data = structuredClone({ ...e.data as object });
    return out;
  }
  return { name: "Error", message: String(err) };
}

/** Rebuilds a thrown value from its WireError: a TgpipeError when it had a code, else a plain Error. */
export function fromWireError(e: WireError): Error {
  if (e.code) return new TgpipeError(e.message, { code: e.code, data: e.data });
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
