/** `export me` exports Saved Messages; a chat Telegram refuses is a sentence plus its code. */
import assert from "node:assert/strict";
import { TelegramError } from "../../lib/core/errors.ts";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";

Deno.test({
  name: "export me: Saved Messages export with exit 0 (the account's own peer is addressed correctly)",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tg = await startFakeTelegram({
      world: "gen:chats=1,messages=10,files=0,forum=0,comments=0,left=0",
      basePort: 0,
    });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_me_" });
    try {
      const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
      const r = await runCli(["--json", "export", "me", "--out", `${dir}/o`], { env, timeoutMs: 120_000 });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.equal(r.events.filter((e) => e.type === "item_done").length, 1);
      const chats = [...Deno.readDirSync(`${dir}/o/chats`)].map((e) => e.name);
      assert.equal(chats.length, 1);
      assert.ok(Deno.statSync(`${dir}/o/chats/${chats[0]}/messages.jsonl`).isFile);
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a Telegram refusal reads as a sentence with its code and method", () => {
  assert.equal(
    new TelegramError(400, "PEER_ID_INVALID", "messages.GetHistory").message,
    "Telegram does not know this chat for this account (PEER_ID_INVALID, messages.GetHistory)",
  );
  assert.equal(
    new TelegramError(400, "SOMETHING_NEW").message,
    "Telegram refused the request (SOMETHING_NEW)",
  );
  assert.equal(
    new TelegramError(500, "INTERDC_CALL_ERROR").message,
    "Telegram had an internal error (INTERDC_CALL_ERROR)",
  );
});
