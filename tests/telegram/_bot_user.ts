/**
 * A user talking to the bot: a stock GramJS client on the fake DC whose updates, pushed or found
 * by getDifference (_user_sync.ts), are collected once each in an inbox, with the bot as its peer.
 */
import bigInt from "big-integer";
import { Buffer } from "node:buffer";
import { Api } from "telegram";
import { Raw } from "telegram/events/index.js";
import type { FakeTelegram } from "../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { openGramjs } from "../fakedc/_gramjs_client.ts";
import { Inbox } from "./_bot_harness.ts";
import { UserSync } from "./_user_sync.ts";

/** A user talking to the bot: its client, what it received, and helpers. */
export interface BotUserClient {
  id: string;
  /** The bot as this user's input peer. */
  peer: Api.InputPeerUser;
  updates: Inbox<Api.TypeUpdate>;
  /** The client's update state (what came pushed, what it caught up with getDifference). */
  sync: UserSync;
  send(text: string): Promise<number>;
  press(messageId: number, data: string): Promise<Api.messages.BotCallbackAnswer>;
  client: Awaited<ReturnType<typeof openGramjs>>["client"];
  close(): Promise<void>;
}

/** Connects user `userId` (default the world's self user) with updates pushed to it. */
export async function startUserAs(tg: FakeTelegram, userId?: bigint): Promise<BotUserClient> {
  const gram = await openGramjs(tg, { session: tg.sessionFor(userId) });
  const sync: UserSync = new UserSync(gram.client, (u) => updates.push(u));
  const updates = new Inbox<Api.TypeUpdate>(() => sync.catchUp("idle"));
  gram.client.addEventHandler((u: Api.TypeUpdate) => sync.onUpdate(u), new Raw({}));
  await sync.start();
  const b = tg.world.users.get(FAKE_LOGIN.bot.userId)!;
  const bot = new Api.InputPeerUser({ userId: bigInt(b.id), accessHash: bigInt(b.accessHash) });
  return {
    id: String(userId ?? tg.world.selfUserId),
    peer: bot,
    updates,
    sync,
    client: gram.client,
    send: async (text) => {
      const r = await gram.client.invoke(new Api.messages.SendMessage({ peer: bot, message: text }));
      sync.onResult(r);
      const u = (r as Api.Updates).updates.find((x) =>
        x instanceof Api.UpdateNewMessage
      ) as Api.UpdateNewMessage;
      return u.message.id;
    },
    press: async (msgId, data) =>
      await gram.client.invoke(
        new Api.messages.GetBotCallbackAnswer({ peer: bot, msgId, data: Buffer.from(data) }),
      ),
    close: async () => {
      sync.close();
      await gram.close();
    },
  };
}
