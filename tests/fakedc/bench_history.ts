/**
 * Fake-DC CPU per message served by messages.getHistory (handler + TL serialization, no
 * transport): pages a generated channel newest to oldest, as an export does, and prints µs/msg
 * with GramJS's getBytes and with the server's serializer (fast writer + message cache).
 *   deno run -A tests/fakedc/bench_history.ts [--messages 20000] [--layer 198]
 */
import process from "node:process";
import { Api } from "telegram/tl/index.js";
import { loadWorld } from "./world/index.ts";
import { cluster } from "./_handlers_util.ts";
import { layerFor, serializeResult } from "./mtproto/tl.ts";

function arg(name: string, def: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : def;
}

const n = arg("messages", 20_000), L = layerFor(arg("layer", 198));
const w = await loadWorld(`gen:chats=1,messages=${n},files=0,forum=0,comments=0,left=0`, { seed: 1 });
const c = cluster(w);
const me = c.key(w.selfUserId);
const extra = { L };
// deno-lint-ignore no-explicit-any
const d: any = await c.call(
  me,
  "messages.GetDialogs",
  { offsetPeer: new Api.InputPeerEmpty(), limit: 100 },
  2,
  extra,
);
const ch = d.chats.find((x: { broadcast?: boolean }) => x.broadcast);
const peer = new Api.InputPeerChannel({ channelId: ch.id, accessHash: ch.accessHash });

// deno-lint-ignore no-explicit-any
async function pass(ser: (r: any) => Uint8Array): Promise<{ us: number; msgs: number; bytes: number }> {
  const t0 = process.cpuUsage();
  let offsetId = 0, msgs = 0, bytes = 0;
  for (;;) {
    const r = await c.call(me, "messages.GetHistory", { peer, offsetId, limit: 100 }, 2, extra);
    bytes += ser(r).length;
    const ids = r.messageIds ?? r.messages.map((m: { id: number }) => m.id);
    if (!ids.length) break;
    msgs += ids.length;
    offsetId = ids.at(-1);
  }
  const t = process.cpuUsage(t0);
  return { us: (t.user + t.system) / msgs, msgs, bytes };
}

const none = await pass(() => new Uint8Array(0));
console.log(`handler only ${none.us.toFixed(1)} µs/msg`);
const gram = await pass((r) => (r instanceof Uint8Array ? r : r.getBytes()));
const first = await pass(serializeResult);
const again = await pass(serializeResult);
const f = (x: { us: number; msgs: number; bytes: number }) => `${x.us.toFixed(1)} µs/msg (${x.msgs} msgs)`;
console.log(`layer ${L.layer}: GramJS getBytes ${f(gram)}`);
console.log(`layer ${L.layer}: server serializer, first pass ${f(first)}, cached pass ${f(again)}`);
