/**
 * Opens the MTProto senders of a {@link FilePool}: on the account's home DC with its own key; on another DC
 * the first sender connects with the key stored by an earlier run (dc_key_store.ts) when the DC still
 * takes it, else makes a new auth key and imports the account's authorization
 * (auth.exportAuthorization / importAuthorization) and stores that key; the others reuse the DC's key.
 */
import { Buffer } from "node:buffer";
import { Api } from "telegram";
import { MTProtoSender } from "telegram/network/index.js";
import { AuthKey } from "telegram/crypto/AuthKey.js";
import { LAYER } from "telegram/tl/AllTLObjects.js";
import type { TgClient } from "./client.ts";
import type { Emit } from "../progress/events.ts";
import { gramOf } from "./_gram.ts";
import { importWithResend } from "./import_resend.ts";
import { checkDcKey } from "./check_dc_key.ts";
import { type DcKeyScope, DcKeyStore } from "./dc_key_store.ts";

/** What the pool keeps per DC for opening senders: the DC's auth key once made. */
export interface DcKey {
  // deno-lint-ignore no-explicit-any
  key?: Promise<any>;
}

/** Makes connected senders for one account's file pool. */
export class FileSenders {
  readonly #client: TgClient;
  readonly #timeoutMs: number;
  /** help.getConfig in flight for GramJS's DC list (see #config). */
  #configAsk?: Promise<void>;
  readonly #scope?: DcKeyScope;
  #store?: Promise<DcKeyStore | undefined>;
  /** Store writes in flight (see {@link flush}), and the latest, which the next one waits for. */
  readonly #writes = new Set<Promise<void>>();
  #lastWrite: Promise<void> = Promise.resolve();

  readonly #emit?: Emit;

  /** `dcKeys`: where the authorized keys of other DCs are kept between runs; undefined = nowhere. */
  constructor(client: TgClient, timeoutMs: number, opts: { dcKeys?: DcKeyScope; emit?: Emit } = {}) {
    this.#client = client;
    this.#timeoutMs = timeoutMs;
    this.#scope = opts.dcKeys;
    this.#emit = opts.emit;
  }

  /** Resolves once the key store's writes started so far are done (the pool awaits it on close). */
  async flush(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all(this.#writes);
  }

  /** A connected sender on `dcId`, with the authorization imported there first when the DC is new. */
  // deno-lint-ignore no-explicit-any
  async open(dcId: number, dc: DcKey): Promise<any> {
    const gram = gramOf(this.#client);
    // deno-lint-ignore no-explicit-any
    const g = gram as any;
    const home = gram.session.dcId === dcId;
    if (!dc.key) {
      if (home) dc.key = Promise.resolve(gram.session.getAuthKey());
      else {
        let done!: (k: unknown) => void, fail!: (e: unknown) => void;
        dc.key = new Promise((res, rej) => ((done = res), (fail = rej)));
        // a failed import with nobody else waiting must not end the process (unhandled rejection)
        dc.key.catch(() => {});
        try {
          const sender = (await this.#reuse(g, dcId)) ?? (await this.#importTo(g, dcId));
          done(sender.authKey);
          return sender;
        } catch (err) {
          dc.key = undefined;
          fail(err);
          throw err;
        }
      }
    }
    // The first request goes straight out: the unanswered first requests seen once were a race
    // in the fake DC's outbox (fixed there), not something a real DC does.
    return await this.#connect(g, dcId, await dc.key);
  }

  /**
   * A sender on `dcId` with the key stored for it, once the DC showed it takes it (checkDcKey:
   * users.getUsers on self, which needs the authorization); undefined when there is none or the DC
   * refused it (then it is forgotten) or gave no clear answer in time.
   */
  // deno-lint-ignore no-explicit-any
  async #reuse(g: any, dcId: number): Promise<any> {
    const store = await this.#storeOf(g);
    const stored = await store?.get(dcId);
    if (!store || !stored) return undefined;
    const key = new AuthKey();
    await key.setKey(Buffer.from(stored));
    let onDeadKey!: () => void;
    const refused = new Promise<void>((resolve) => (onDeadKey = resolve));
    const sender = await this.#connect(g, dcId, key, onDeadKey);
    // no handshake to learn the server's clock from: the main connection's offset
    if (sender._state) sender._state.timeOffset = g._sender?._state?.timeOffset ?? 0;
    const verdict = await checkDcKey(
      () => sender.send(this.#init(g, new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }))),
      refused,
      // a fresh connection's first request: a round trip for the salt, then its answer
      Math.min(this.#timeoutMs, 2 * this.#client.idleAnswerTimeoutMs()),
    );
    if (verdict.kind === "ok") {
      this.#log(`DC ${dcId}: reusing its stored auth key`);
      return sender;
    }
    await sender.disconnect().catch(() => {});
    if (verdict.kind === "refused") this.#track(() => store.drop(dcId));
    const what = verdict.kind === "refused" ? "refused" : "unconfirmed";
    this.#log(`DC ${dcId}: stored auth key ${what} (${verdict.reason}); making a new one`);
    return undefined;
  }

  /** A sender on `dcId` with a new key, the account's authorization imported there; the key is stored. */
  // deno-lint-ignore no-explicit-any
  async #importTo(g: any, dcId: number): Promise<any> {
    // the token is asked for while the new key is made: they do not depend on each other
    const exportToken = () =>
      this.#client.call<Api.auth.ExportedAuthorization>(new Api.auth.ExportAuthorization({ dcId }));
    const first = exportToken();
    first.catch(() => {}); // the connection failed first: nobody awaits it
    const sender = await this.#connect(g, dcId, new AuthKey());
    try {
      // a lost import would hold every request for this DC: sent again with a fresh token
      // after the adaptive timeout, not after a minute
      await importWithResend({
        first,
        exportToken,
        send: (auth) =>
          sender.send(
            this.#init(g, new Api.auth.ImportAuthorization({ id: auth.id, bytes: auth.bytes })),
          ),
        // alone on a new connection: the network's round trips, not the main connection's queue
        waitMs: () => this.#client.idleAnswerTimeoutMs(),
        maxMs: this.#timeoutMs,
        what: `auth.importAuthorization on DC ${dcId}`,
      });
    } catch (err) {
      await sender.disconnect().catch(() => {});
      throw err;
    }
    const key: Uint8Array | undefined = sender.authKey?.getKey();
    const store = key && await this.#storeOf(g);
    if (store) this.#track(() => store.put(dcId, key));
    return sender;
  }

  /** The store of this session's DC keys (its name needs the home key), once; undefined without one. */
  // deno-lint-ignore no-explicit-any
  #storeOf(g: any): Promise<DcKeyStore | undefined> {
    const scope = this.#scope;
    return this.#store ??= (async () => {
      const key: Uint8Array | undefined = g.session.getAuthKey()?.getKey();
      if (!scope || !key) return undefined;
      return await DcKeyStore.open(scope, { dcId: g.session.dcId, key });
    })();
  }

  #log(message: string): void {
    this.#emit?.({ type: "log", level: "debug", message });
  }

  /**
   * Runs a store write after the ones before it (a drop then a put of the same DC must not swap); a
   * failed one only costs the next run an import (never fatal).
   */
  #track(write: () => Promise<void>): void {
    const p = this.#lastWrite.then(write).catch(() => {}).finally(() => this.#writes.delete(p));
    this.#lastWrite = p;
    this.#writes.add(p);
  }

  // deno-lint-ignore no-explicit-any
  async #connect(g: any, dcId: number, key: any, onDeadKey?: () => void): Promise<any> {
    const sender = new MTProtoSender(key, {
      logger: g._log,
      dcId,
      retries: g._connectionRetries,
      delay: g._retryDelay,
      autoReconnect: true,
      connectTimeout: g._timeout,
      authKeyCallback: () => {},
      isMainSender: false,
      // GramJS's default here forgets the DC's key; a broken sender just reconnects instead
      onConnectionBreak: () => {},
      client: g,
      securityChecks: g._securityChecks,
      _exportedSenderPromises: new Map(),
      reconnectRetries: g._reconnectRetries,
    });
    const dc = await this.#address(g, dcId);
    const connection = new g._connection({
      ip: dc.ipAddress,
      port: dc.port,
      dcId,
      loggers: g._log,
      proxy: g._proxy,
      testServers: g.testServers,
      socket: g.networkSocket,
    });
    if (onDeadKey) {
      // FastConnection reports transport errors here (-404: the DC does not know the key)
      const base = connection.onTransportError?.bind(connection);
      connection.onTransportError = (code: number) => {
        base?.(code);
        if (code === -404) onDeadKey();
      };
    }
    const ok = await sender.connect(connection, false);
    if (!ok) {
      await sender.disconnect().catch(() => {});
      throw new Error(`Connection to DC ${dcId} failed`);
    }
    return sender;
  }

  /**
   * Where to connect for `dcId`. The home DC is where the main connection already is (GramJS too
   * downloads from it over the main address): no help.getConfig, which cost every download from
   * the home DC a round trip before its first part. Other DCs come from GramJS's DC list.
   */
  // deno-lint-ignore no-explicit-any
  async #address(g: any, dcId: number): Promise<{ ipAddress: string; port: number }> {
    if (dcId === g.session.dcId && g.session.serverAddress) {
      // the port getDC answers for a download DC (the main connection's is 80 or 443)
      return { ipAddress: g.session.serverAddress, port: 443 };
    }
    await this.#config(g);
    return await g.getDC(dcId, true);
  }

  /**
   * Fills GramJS's DC list before getDC needs it: getDC asks help.getConfig through GramJS's own
   * invoke, with no timeout and no resend, so one lost answer held the first file connection (and
   * every part waiting for it) until the stall watchdog, 30 s, twice in a row (seen in a
   * faulted export of `deno task bench faults`). Asked through the client's call policy instead,
   * once for all callers.
   */
  // deno-lint-ignore no-explicit-any
  async #config(g: any): Promise<void> {
    if (g._config) return;
    this.#configAsk ??= this.#client.call<Api.Config>(new Api.help.GetConfig()).then(
      (c) => void (g._config ??= c),
      (err) => {
        this.#configAsk = undefined; // the next connection asks again
        throw err;
      },
    );
    await this.#configAsk;
  }

  // deno-lint-ignore no-explicit-any
  #init(g: any, query: object): object {
    const i = g._initRequest as Api.InitConnection;
    const init = new Api.InitConnection({
      apiId: i.apiId,
      deviceModel: i.deviceModel,
      systemVersion: i.systemVersion,
      appVersion: i.appVersion,
      langCode: i.langCode,
      langPack: i.langPack,
      systemLangCode: i.systemLangCode,
      proxy: i.proxy,
      // deno-lint-ignore no-explicit-any
      query: query as any,
    });
    return new Api.InvokeWithLayer({ layer: LAYER, query: init });
  }
}
