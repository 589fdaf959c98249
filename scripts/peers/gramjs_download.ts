/**
 * GramJS's downloadMedia looping over messages (raw GramJS is allowed in peers/). Usage:
 * deno run -A scripts/peers/gramjs_download.ts '<json config>' with
 * {"session", "endpoints" (telegram_endpoints JSON), "chat", "ids", "out"}; prints {"files", "bytes", "ms"}.
 */
import { openGramPeer } from "./_gramjs_peer.ts";

const cfg = JSON.parse(Deno.args[0]);
const { client, gram } = await openGramPeer(cfg);
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
