/**
 * The GramJS client every GramJS peer of the benches starts from: the config's session on the fake DC's
 * endpoints, waiting out flood waits up to 60 s as a patient user script would.
 */
import { openClient } from "../../lib/telegram/client.ts";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";
import { gramOf } from "../../lib/telegram/_gram.ts";

/** Our client and its raw GramJS client for `{session, endpoints}` (endpoints as telegram_endpoints JSON). */
export async function openGramPeer(cfg: { session: string; endpoints: string }) {
  const client = await openClient({
    apiId: 17349,
    apiHash: "344583e45741c457fe1862106095a5eb",
    session: cfg.session,
    endpoints: parseEndpoints(cfg.endpoints),
  });
  const gram = gramOf(client);
  gram.floodSleepThreshold = 60;
  return { client, gram };
}
