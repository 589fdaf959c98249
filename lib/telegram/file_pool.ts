/**
 * Connections for file transfers: several MTProto senders per DC (GramJS lends one per DC, which
 * caps a download at one connection's bandwidth). The first sender on a foreign DC uses the key an
 * earlier run stored for it, or makes its own auth key and imports the account's authorization
 * (auth.exportAuthorization); the others reuse that key, so at most one handshake and one import
 * happen per DC. Media DCs work the same way.
 */
import type { Emit } from "../progress/events.ts";
import { type CallPolicy, callWithPolicy } from "./call_policy.ts";
import type { TgClient } from "./client.ts";
import { isIdempotent } from "./hedged_call.ts";
import { RtoEstimator } from "./rto_estimator.ts";
import { FileSenders } from "./file_senders.ts";
import type { DcKeyScope } from "./dc_key_store.ts";
import { SenderLedger } from "./sender_ledger.ts";
import {
  copyLooksLost,
  dcAlone,
  type PoolCopy,
  type PoolDc,
  type PoolSender,
  receivedBytes,
} from "./copy_lost.ts";
import { pickSender, take } from "./pick_sender.ts";
import { withdrawCopies } from "./withdraw_copies.ts";

/** Options of {@link FilePool}. */
export interface FilePoolOptions {
  /** Senders per DC at most. Default 8. */
  connectionsPerDc?: number;
  /** Requests a sender carries at once before another sender is opened. Default 2. */
  perConnection?: number;
  emit?: Emit;
  /** Overrides for the call policy (tests shorten timeouts). */
  policy?: Omit<CallPolicy, "emit" | "signal" | "account">;
  /** Where the authorized keys of other DCs are kept between runs (dc_key_store.ts); undefined = nowhere. */
  dcKeys?: DcKeyScope;
}

/** A pool of file connections per DC for one account (see module comment). */
export class FilePool {
  readonly #client: TgClient;
  readonly #max: number;
  readonly #perConn: number;
  readonly #opts: FilePoolOptions;
  readonly #timeoutMs: number;
  #dcs = new Map<number, PoolDc>();
  #closed = false;
  readonly #senders: FileSenders;

  constructor(client: TgClient, opts: FilePoolOptions = {}) {
    this.#client = client;
    this.#max = opts.connectionsPerDc ?? 8;
    this.#perConn = opts.perConnection ?? 2;
    this.#opts = opts;
    this.#timeoutMs = opts.policy?.timeoutMs ?? 60_000;
    this.#senders = new FileSenders(client, this.#timeoutMs, { dcKeys: opts.dcKeys, emit: opts.emit });
  }

  /** Account label of the client, for events. */
  get account(): string {
    return this.#client.account;
  }

  /** Open senders per DC id (for tests and the benchmark). */
  connectionCount(): Record<number, number> {
    return Object.fromEntries([...this.#dcs].map(([id, dc]) => [id, dc.senders.length]));
  }

  /**
   * Sends one request (an Api object of lib/telegram) on the least busy sender of `dcId`. A read
   * with no answer within the DC's adaptive timeout is sent again on another sender (hedged).
   */
  call<T>(dcId: number, request: object, signal?: AbortSignal): Promise<T> {
    const method = (request as { className?: string }).className ?? "unknown";
    const bytes = (request as { limit?: unknown }).limit;
    const bytesOf = typeof bytes === "number" ? bytes : undefined;
    // the latest copy: its sender and its watch there
    let latest: PoolCopy | undefined;
    // every copy's sender and sequence number: once the call is over, none waits there any more
    const copies: PoolCopy[] = [];
    // per copy, when its answer began to come (its own transfer, not its time queued behind others)
    const answerFrom = new Map<number, number>();
    const hedge = isIdempotent(request)
      ? {
        rto: this.#dc(dcId).rto,
        bytes: bytesOf,
        waitForSent: true,
        shouldCopy: () => copyLooksLost(this.#dcs.get(dcId), latest, method, copies.length),
        // alone on its DC (only this call's copies in flight): a lost part or hash request waited
        // the busy DC's estimate, doubled per copy (5-12 s for the last file of a faulted download)
        capMs: () =>
          dcAlone(this.#dcs.get(dcId), copies.length) ? this.#dc(dcId).rto.loneTimeoutMs(bytesOf) : undefined,
        answerFrom: (copy: number) => answerFrom.get(copy),
        // the copies still in flight when an attempt ends (answered, or a FLOOD_WAIT to sleep on)
        // hold up nothing any more: taken back, they neither wait ahead of later requests on their
        // connection nor count as its load
        onSettled: () => {
          for (const c of copies.splice(0)) {
            c.sender.ledger.forget(c.watch.seq);
            withdrawCopies(c.sender.s, request, new Error("Request withdrawn (its call is over)"));
          }
        },
      }
      : undefined;
    // senders this call's copies went out on: a copy goes to another one while there is one
    const used = new Set<PoolSender>();
    return callWithPolicy(
      async (copy, sent) => {
        if (copy === 0) used.clear();
        // counted busy by #pick: requests woken together then see each other's picks
        const sender = await this.#pick(dcId, used);
        if (signal?.aborted) {
          // given up while it waited for a sender: nobody would read its answer
          sender.busy--;
          this.#changed(this.#dc(dcId));
          throw signal.reason;
        }
        used.add(sender);
        const answersAtSend = sender.ledger.answers;
        const watch = sender.ledger.send(performance.now());
        const dc = { dcAnswers: this.#dc(dcId).answers, sentAt: watch.sentAt };
        latest = {
          sender,
          watch,
          dc: { ...dc, connAnswers: sender.ledger.answers, received: receivedBytes(sender) },
        };
        copies.push(latest);
        let giveUp: (() => void) | undefined;
        let timer: ReturnType<typeof setTimeout> | undefined;
        // A request that outlives the timeout or is given up by its caller (stall watchdog) sits
        // on a dead connection only if nothing came back on it since the request went out: then
        // drop it, so retries go out on a fresh one. A live connection also carries other parts,
        // and dropping it failed them all, whose retries then paid a reconnect each (on a busy
        // machine longer than the stall limit: every part stalled, none completed).
        try {
          return await new Promise<T>((resolve, reject) => {
            sender.waiting.add(reject);
            const leave = (reason: unknown) => {
              if (sender.ledger.answers === answersAtSend) return sender.drop();
              sender.waiting.delete(reject);
              reject(reason);
            };
            timer = setTimeout(
              () => leave(new Error("Request timed out (the connection still answers)")),
              this.#timeoutMs,
            );
            giveUp = () => leave(signal?.reason);
            signal?.addEventListener("abort", giveUp, { once: true });
            sent();
            (sender.s.send(request) as Promise<T>).then((v) => {
              sender.ledger.answer(watch.seq, method);
              const dc = this.#dcs.get(dcId);
              if (dc) (dc.answers++, dc.firstAnswerAt ??= performance.now());
              answerFrom.set(copy, sender.ledger.transferStart(watch.sentAt, performance.now()));
              resolve(v);
            }, reject).finally(() => sender.waiting.delete(reject));
          });
        } finally {
          clearTimeout(timer);
          if (giveUp) signal?.removeEventListener("abort", giveUp);
          sender.busy--;
          const dc = this.#dcs.get(dcId);
          if (dc) this.#changed(dc);
          sender.ledger.forget(watch.seq);
        }
      },
      method,
      {
        // a dropped connection's requests go out again on the others or a fresh one: the 500 ms base
        // backoff, 0.5-0.75 s per drop, put a faulted download's flooded part that much later
        dropDelayMs: 100,
        ...this.#opts.policy,
        emit: this.#opts.emit,
        signal,
        account: this.#client.account,
        hedge,
      },
    ).finally(() => {
      for (const c of copies) c.sender.ledger.forget(c.watch.seq);
    });
  }

  /** Resolves once `dcId` has a connection (opening the first one; a new DC makes its key and imports there). */
  async ready(dcId: number): Promise<void> {
    if (this.#dc(dcId).senders.length > 0) return;
    const s = await this.#pick(dcId, new Set());
    s.busy--; // picked to be open, not for a request
    this.#changed(this.#dc(dcId));
  }

  /** Disconnects every sender of the pool. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#dcs.values()].flatMap((d) => d.senders);
    for (const x of all) x.drop(); // fails the requests still waiting on them
    for (const dc of this.#dcs.values()) this.#changed(dc); // and those waiting for a sender
    this.#dcs.clear();
    await Promise.all(all.map((x) => x.s.disconnect().catch(() => {})));
    await this.#senders.flush(); // a new DC key reaches the store before the run ends
  }

  #dc(dcId: number): PoolDc {
    let dc = this.#dcs.get(dcId);
    if (!dc) {
      // a DC not heard from yet: the main connection's estimate (same network) until answers come
      const rto = new RtoEstimator({ maxMs: this.#timeoutMs, initialMs: this.#client.answerTimeoutMs() });
      dc = { senders: [], opening: 0, rto, answers: 0, started: false, changed: [] };
      this.#dcs.set(dcId, dc);
    }
    return dc;
  }

  /**
   * The least busy sender of the DC not in `avoid` (any when all are), opening one if it may; counted
   * busy with the request it is picked for.
   */
  async #pick(dcId: number, avoid: Set<PoolSender>): Promise<PoolSender> {
    const dc = this.#dc(dcId);
    const got = await pickSender(dc, { max: this.#max, perConn: this.#perConn }, avoid, () => this.#closed);
    if (got) return got;
    // dc.opening counts this sender already (pickSender reserved the slot)
    try {
      const s = this.#wrap(dcId, await this.#senders.open(dcId, dc));
      if (this.#closed) {
        await s.s.disconnect().catch(() => {});
        throw new Error("File pool is closed");
      }
      dc.senders.push(s);
      return take(s);
    } finally {
      dc.opening--;
      if (dc.opening === 0 && dc.senders.length >= this.#max) dc.started = true;
      this.#changed(dc);
    }
  }

  /** Wakes the requests waiting for a sender of `dc` (one opened or failed, or a request ended). */
  #changed(dc: PoolDc): void {
    for (const wake of dc.changed.splice(0)) wake();
  }

  // deno-lint-ignore no-explicit-any
  #wrap(dcId: number, raw: any): PoolSender {
    const sender: PoolSender = {
      s: raw,
      busy: 0,
      waiting: new Set(),
      ledger: new SenderLedger(),
      drop: () => {
        const dc = this.#dcs.get(dcId);
        const i = dc?.senders.indexOf(sender) ?? -1;
        if (i < 0) return;
        dc!.senders.splice(i, 1);
        this.#changed(dc!);
        const err = new Error("Connection closed (dropped by the file pool)");
        for (const reject of sender.waiting) reject(err);
        sender.waiting.clear();
        raw.disconnect().catch(() => {});
      },
    };
    // GramJS would wait a second after a broken connection, reconnect and send its requests again
    // (and lose what was queued meanwhile); instead the pool forgets the sender at once: its
    // requests fail now and their copies go to the other senders or to a fresh one
    raw.reconnect = () => sender.drop();
    return sender;
  }
}
