/** The fake DC's bandwidth cap holds for uploads too: parts arrive no faster than the cap allows. */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram";
import { startFakeTelegram } from "./cluster.ts";
import { openGramjs } from "./_gramjs_client.ts";

Deno.test("bandwidth cap: 2 MiB of parts over one connection at 1 MiB/s take at least ~2 s", async () => {
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=1,files=0",
    basePort: 0,
    faults: "bw=1M",
  });
  const h = await openGramjs(tg);
  try {
    const part = Buffer.alloc(512 * 1024, 7);
    const t0 = performance.now();
    await Promise.all([0, 1, 2, 3].map((i) =>
      h.client.invoke(
        new Api.upload.SaveBigFilePart({ fileId: bigInt(1), filePart: i, fileTotalParts: 4, bytes: part }),
      )
    ));
    const ms = performance.now() - t0;
    // a lower bound only: a slow machine makes it longer, never shorter (20 ms burst per read allowed)
    assert.ok(ms >= 1500, `4 x 512 KiB arrived in ${Math.round(ms)} ms at a 1 MiB/s cap`);
  } finally {
    await h.close();
    await tg.close();
  }
});
