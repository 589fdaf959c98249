/**
 * Opens the MTProto senders of a {@link FilePool}: on the account's home DC with its own key; on another DC
 * the first sender makes a new auth key and imports the account's authorization
 * (auth.exportAuthorization / importAuthorization), and the others reuse that key.
 */
import { Api } from "telegram";
import { MTProtoSender } from "telegram/network/index.js";
import { AuthKey } from "telegram/crypto/AuthKey.js";
import { LAYER } from "telegram/tl/AllTLObjects.js";
import type { TgClient } from "./client.ts";
import { gramOf } from "./_gram.ts";
import { importWithResend } from "./import_resend.ts";

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

  constructor(client: TgClient, timeoutMs: number) {
    this.#client = client;
    this.#timeoutMs = timeoutMs;
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

  // deno-lint-ignore no-explicit-any
  async #connect(g: any, dcId: number, key: any): Promise<any> {
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
    await this.#config(g);
    const dc = await g.getDC(dcId, true);
    const ok = await sender.connect(
      new g._connection({
        ip: dc.ipAddress,
        port: dc.port,
        dcId,
        loggers: g._log,
        proxy: g._proxy,
        testServers: g.testServers,
        socket: g.networkSocket,
      }),
      false,
    );
    if (!ok) {
      await sender.disconnect().catch(() => {});
      throw new Error(`Connection to DC ${dcId} failed`);
    }
    return sender;
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
