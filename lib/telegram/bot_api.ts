/**
 * The bot's side of Telegram over MTProto (GramJS) with a bot token: lib/core/bot_types.ts's
 * BotApi on an account of the account pool. Updates come from BotUpdateStream (catch-up with
 * getDifference, exactly once); files go up with the upload engine over the account's upload
 * lane and come down with the download engine over its file lane, so both reach 2 GB.
 */
import bigInt from "big-integer";
import { Buffer } from "node:buffer";
import { Api } from "telegram";
import type {
  BotApi,
  BotButton,
  BotFile,
  BotMedia,
  BotTextOptions,
  BotUpdate,
  BotUser,
} from "../core/bot_types.ts";
import { TelegramError, TgpipeError } from "../core/errors.ts";
import { downloadFile } from "../engine/download_file.ts";
import { localFileSource } from "../engine/local_file_source.ts";
import { uploadAndSend } from "../engine/upload_and_send.ts";
import { type UploadedFile, uploadFile, type UploadFileOptions } from "../engine/upload_file.ts";
import type { Emit } from "../progress/events.ts";
import { mapBotUser } from "./bot_map.ts";
import { type BotStateStore, BotUpdateStream } from "./bot_update_stream.ts";
import type { RemoteFile } from "./remote_file.ts";
import { sendUploaded } from "./send_uploaded.ts";
import type { TelegramAccount } from "./telegram_account_pool.ts";

export type { BotStateStore, BotUpdateState } from "./bot_update_stream.ts";

/** Options of {@link openBotApi}. */
export interface BotApiOptions {
  /** The bot's account: an account pool opened with a `botToken` spec (its first account). */
  account: TelegramAccount;
  /** Keeps the update state between runs (lib/app: the progress store's KV). */
  state: BotStateStore;
  /** Progress events of uploads and downloads, pause events of flood waits. */
  emit?: Emit;
  /** Parts in flight per file upload or download. Default 4. */
  concurrency?: number;
}

const DATA_MAX = 64;
// keyboards of recent messages, so an edit without `buttons` keeps its keyboard (Telegram drops it)
const KEYBOARDS_KEPT = 5000;

/** Connects the BotApi of a bot account; TgpipeError (exit 1) when the account is not a bot. */
export async function openBotApi(opts: BotApiOptions): Promise<BotApi> {
  const client = opts.account.client;
  const [me] = await client.call<Api.TypeUser[]>(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
  if (!(me instanceof Api.User) || !me.bot) {
    throw new TgpipeError("This account is not a bot: the bot runs with --bot-token", { code: "NOT_A_BOT" });
  }
  return new TelegramBotApi(opts, mapBotUser(me));
}

class TelegramBotApi implements BotApi {
  readonly #stream: BotUpdateStream;
  readonly #keyboards = new Map<string, BotButton[][]>();
  #running = false;

  constructor(readonly opts: BotApiOptions, readonly me: BotUser) {
    this.#stream = new BotUpdateStream(opts.account.client, opts.state);
  }

  async *updates(signal: AbortSignal): AsyncIterable<BotUpdate> {
    // one reader: two would split the updates and race on the saved state
    if (this.#running) throw new Error("BotApi.updates() is already being read");
    this.#running = true;
    try {
      yield* this.#stream.run(signal);
    } finally {
      this.#running = false;
    }
  }

  async sendText(chat_id: string, text: string, options: BotTextOptions = {}): Promise<number> {
    let id: number;
    try {
      const res = await this.#call<Api.TypeUpdates>(
        new Api.messages.SendMessage({
          peer: await this.#peer(chat_id),
          message: text,
          randomId: _randomId(),
          replyMarkup: _markup(options.buttons),
          replyTo: options.reply_to
            ? new Api.InputReplyToMessage({ replyToMsgId: options.reply_to })
            : undefined,
        }),
      );
      id = _sentId(res);
    } catch (err) {
      // a copy of this request went out but its answer was lost (a retry or GramJS's resend after
      // a reconnection): the message exists, and the update stream tells its id
      if (!(err instanceof TelegramError && err.rpcMessage === "RANDOM_ID_DUPLICATE")) throw err;
      const sent = await this.#stream.ownMessages.find(
        chat_id,
        text,
        options.reply_to,
        () => this.#stream.resync(),
      );
      if (sent === undefined) throw err;
      id = sent;
    }
    if (options.buttons?.length) this.#keep(chat_id, id, options.buttons);
    return id;
  }

  #keep(chat_id: string, id: number, buttons: BotButton[][] | undefined): void {
    const key = `${chat_id}:${id}`;
    this.#keyboards.delete(key);
    if (!buttons?.length) return;
    this.#keyboards.set(key, buttons);
    if (this.#keyboards.size > KEYBOARDS_KEPT) this.#keyboards.delete(this.#keyboards.keys().next().value!);
  }

  async editText(
    chat_id: string,
    message_id: number,
    text: string,
    options: BotTextOptions = {},
  ): Promise<void> {
    const buttons = options.buttons ?? this.#keyboards.get(`${chat_id}:${message_id}`);
    try {
      await this.#call<Api.TypeUpdates>(
        new Api.messages.EditMessage({
          peer: await this.#peer(chat_id),
          id: message_id,
          message: text,
          replyMarkup: _markup(buttons),
        }),
      );
      this.#keep(chat_id, message_id, buttons);
    } catch (err) {
      if (err instanceof TelegramError && err.rpcMessage === "MESSAGE_NOT_MODIFIED") return;
      throw err;
    }
  }

  async answerCallback(query_id: string, text?: string, alert?: boolean): Promise<void> {
    await this.opts.account.client.call<boolean>(
      new Api.messages.SetBotCallbackAnswer({
        queryId: bigInt(query_id),
        message: text,
        alert: alert || undefined,
        cacheTime: 0,
      }),
    );
  }

  async sendFile(chat_id: string, file: BotFile, signal?: AbortSignal): Promise<number> {
    const account = this.opts.account;
    const peer = await this.#peer(chat_id);
    const lanes = [account.uploadLane()];
    const parts: UploadFileOptions = {
      item: `bot:${file.path}`,
      limits: await account.uploadLimits(signal),
      concurrency: this.opts.concurrency ?? 4,
      emit: this.opts.emit,
      signal,
    };
    let thumb: UploadedFile | undefined;
    if (file.thumb_path) {
      thumb = await uploadFile(await localFileSource(file.thumb_path), lanes, {
        ...parts,
        item: `${parts.item}:thumb`,
      });
    }
    const mime = file.mime_type ?? "application/octet-stream";
    const photo = file.as === "media" && /^image\/(jpeg|png|webp)$/.test(mime);
    const media = file.as === "media" ? { video: file.video, audio: file.audio } : {};
    const send = (f: UploadedFile) =>
      sendUploaded(account.client, _locator(peer), {
        file: f,
        kind: photo ? "photo" : "document",
        mime,
        caption: file.caption ?? "",
        randomId: _randomId().toString(),
        thumb,
        ...media,
      }, signal);
    const r = await uploadAndSend(await localFileSource(file.path), lanes, send, parts);
    // taken before (an earlier copy's answer was lost): its id comes from the update stream
    const id = r.sent.duplicate
      ? await this.#stream.ownMessages.find(
        chat_id,
        file.caption ?? "",
        undefined,
        () => this.#stream.resync(),
      )
      : r.sent.messageIds[0];
    if (id === undefined) throw new TelegramError(500, "NO_MESSAGE_ID", "messages.SendMedia");
    return id;
  }

  async downloadMedia(media: BotMedia, dest: string, signal?: AbortSignal): Promise<void> {
    const file = media.ref as RemoteFile;
    if (!file?.location) throw new RangeError("Not a media handle of this bot");
    const lane = this.opts.account.lane(file);
    await downloadFile(lane.source(), dest, {
      item: `bot:${file.key}`,
      concurrency: this.opts.concurrency ?? 4,
      signal,
      emit: this.opts.emit,
      partWriter: lane.partWriter?.(),
    });
  }

  // A send or edit, its answer fed to the update stream (its pts is then no gap).
  async #call<T extends Api.TypeUpdates>(req: object): Promise<T> {
    const res = await this.opts.account.client.call<T>(req);
    this.#stream.own(res);
    return res;
  }

  async #peer(chat_id: string): Promise<Api.TypeInputPeer> {
    if (/^-\d+$/.test(chat_id)) return new Api.InputPeerChat({ chatId: bigInt(chat_id.slice(1)) });
    const u = this.#stream.users.get(chat_id);
    const hash = u?.accessHash?.toString() ?? await this.opts.state.loadPeer?.(chat_id);
    if (!/^\d+$/.test(chat_id) || hash === undefined) {
      throw new TelegramError(400, "PEER_ID_INVALID", `chat ${chat_id} was never seen by this bot`);
    }
    return new Api.InputPeerUser({ userId: bigInt(chat_id), accessHash: bigInt(hash) });
  }
}

function _randomId(): bigInt.BigInteger {
  const b = crypto.getRandomValues(new Uint8Array(8));
  return bigInt(new DataView(b.buffer).getBigInt64(0).toString());
}

function _markup(rows: BotTextOptions["buttons"]): Api.TypeReplyMarkup | undefined {
  if (!rows) return undefined;
  return new Api.ReplyInlineMarkup({
    rows: rows.map((row) =>
      new Api.KeyboardButtonRow({
        buttons: row.map((b) => {
          const data = Buffer.from(b.data, "utf8");
          if (data.length === 0 || data.length > DATA_MAX) {
            throw new RangeError(`Button data must be 1 to ${DATA_MAX} bytes, got ${data.length}`);
          }
          return new Api.KeyboardButtonCallback({ text: b.text, data });
        }),
      })
    ),
  });
}

function _sentId(res: Api.TypeUpdates): number {
  if (res instanceof Api.UpdateShortSentMessage) return res.id;
  if (res instanceof Api.Updates || res instanceof Api.UpdatesCombined) {
    for (const u of res.updates) if (u instanceof Api.UpdateNewMessage) return u.message.id;
    for (const u of res.updates) if (u instanceof Api.UpdateMessageID) return u.id;
  }
  throw new TelegramError(500, "NO_MESSAGE_ID", "messages.SendMessage");
}

// The peer locator (peer_ref.ts) sendUploaded takes.
function _locator(p: Api.TypeInputPeer): string {
  if (p instanceof Api.InputPeerUser) return `user:${p.userId}:${p.accessHash}`;
  if (p instanceof Api.InputPeerChat) return `chat:${p.chatId}`;
  throw new RangeError("Unsupported peer");
}
