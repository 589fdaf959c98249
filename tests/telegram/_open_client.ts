/** The real GramJS client (lib/telegram's openClient) signed in as a running fake DC's account. */
import { type ClientOptions, openClient, type TgClient } from "../../lib/telegram/client.ts";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";
import type { FakeTelegram } from "../fakedc/cluster.ts";

/** Opens a client on `tg`'s account and endpoints; `more` adds or overrides client options. */
export function openFakeDcClient(tg: FakeTelegram, more: Partial<ClientOptions> = {}): Promise<TgClient> {
  return openClient({
    apiId: Number(tg.env.TGPIPE_API_ID),
    apiHash: tg.env.TGPIPE_API_HASH,
    session: tg.env.TGPIPE_SESSION,
    endpoints: parseEndpoints(tg.env.TGPIPE_TELEGRAM_ENDPOINTS),
    ...more,
  });
}
