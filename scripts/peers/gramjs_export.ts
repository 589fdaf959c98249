/**
 * GramJS's iterMessages writing JSON lines (raw GramJS is allowed in peers/). Usage:
 * deno run -A scripts/peers/gramjs_export.ts '<json config>' with
 * {"session", "endpoints" (telegram_endpoints JSON), "chat", "out"}; prints {"messages", "ms"}.
 */
import { openGramPeer } from "./_gramjs_peer.ts";

const cfg = JSON.parse(Deno.args[0]);
const { client, gram } = await openGramPeer(cfg);
const file = await Deno.open(cfg.out, { write: true, create: true, truncate: true });
const enc = new TextEncoder();
const t = performance.now();
let n = 0;
for await (const m of gram.iterMessages(cfg.chat, {})) {
  await file.write(enc.encode(JSON.stringify({ id: m.id, date: m.date, message: m.message }) + "\n"));
  n++;
}
const ms = performance.now() - t;
file.close();
await client.close();
console.log(JSON.stringify({ messages: n, ms: Math.round(ms) }));
Deno.exit(0);
