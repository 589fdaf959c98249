/**
 * GramJS's sendFile looping over files to Saved Messages (raw GramJS is allowed in peers/), with
 * as many upload workers as its docs allow. Usage: deno run -A scripts/peers/gramjs_upload.ts
 * '<json config>' with {"session", "endpoints" (telegram_endpoints JSON), "files": [paths]};
 * prints {"files", "bytes", "ms"}.
 */
import { openGramPeer } from "./_gramjs_peer.ts";

const cfg = JSON.parse(Deno.args[0]);
const { client, gram } = await openGramPeer(cfg);
const t = performance.now();
let files = 0, bytes = 0;
for (const path of cfg.files as string[]) {
  // GramJS's docs: "workers: how many workers to use to upload the file, anything above 16 is unstable"
  await gram.sendFile("me", { file: path, workers: 16, forceDocument: true });
  files++;
  bytes += (await Deno.stat(path)).size;
}
const ms = performance.now() - t;
await client.close();
console.log(JSON.stringify({ files, bytes, ms: Math.round(ms) }));
Deno.exit(0);
