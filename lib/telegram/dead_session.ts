/**
 * Remembers that the server has forgotten this client's auth key (transport error -404 on the
 * home DC) and fails every pending and later call at once with LoginRequiredError. GramJS
 * reacts to -404 on its main connection by stopping to read and waiting for a reset nobody
 * makes, so without this a call hangs until its timeout and then retries for minutes.
 */
import { LoginRequiredError } from "../core/errors.ts";

/** The one error a dead session gives; no part of the session string is in it. */
export function deadSessionError(): LoginRequiredError {
  return new LoginRequiredError(
    "The Telegram session is no longer valid (the server does not know its key); run `tgpipe login` again",
    "auth_key_unknown",
  );
}

/** A latch: once killed, {@link DeadSession.race} rejects at once with the dead-session error. */
export class DeadSession {
  readonly #ctl = new AbortController();

  /** True once the server said it does not know the key. */
  get dead(): boolean {
    return this.#ctl.signal.aborted;
  }

  /**
   * Marks the session dead; every raced promise rejects now, with `reason` (default: the
   * dead-session error; a proxy that refuses the first connection gives its own). Idempotent.
   */
  kill(reason: Error = deadSessionError()): void {
    if (!this.dead) this.#ctl.abort(reason);
  }

  /** Settles like `p`, unless the session dies first (or is dead already). */
  race<T>(p: Promise<T>): Promise<T> {
    const signal = this.#ctl.signal;
    if (signal.aborted) {
      p.catch(() => {}); // the call's own outcome no longer matters
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const onDead = () => reject(signal.reason);
      signal.addEventListener("abort", onDead, { once: true });
      p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onDead));
    });
  }
}
