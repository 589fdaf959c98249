/**
 * GramJS's downloadMedia looping over messages (raw GramJS is allowed in peers/). Usage:
 * deno run -A scripts/peers/gramjs_download.ts '<json config>' with
 * {"session", "endpoints" (telegram_endpoints JSON), "chat", "ids", "out"}; prints {"files", "bytes", "ms"}.
 */
import { openClient } from "../../lib/telegram/client.ts";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";
import { gramOf } from "../../lib/telegram/_gram.ts";

const cfg = JSON.parse(Deno.args[0]);
const client = await openClient({
  apiId: 17349,
  apiHash: "344583e45741c457fe1862106095a5eb",
  session: cfg.session,
  endpoints: parseEndpoints(cfg.endpoints),
});
const gram = gramOf(client);
gram.floodSleepThreshold = 60;
const t = performance.now();
let files = 0, bytes = 0;
const ids: number[] = cfg.ids;
for (let i = 0; i < ids.length; i += 100) {
  for (const m of await gram.getMessages(cfg.chat, { ids: ids.slice(i, i + 100) })) {
    if (!m?.media) continue;
    const path = `${cfg.out}/${m.id}`;
    await gram.downloadMedia(m, { outputFile: path });
    files++;
    bytes += (await Deno.stat(path)).size;
  }
}
const ms = performance.now() - t;
await client.close();
console.log(JSON.stringify({ files, bytes, ms: Math.round(ms) }));
Deno.exit(0);
