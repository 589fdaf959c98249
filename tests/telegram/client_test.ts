import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { openFakeDcClient } from "./_open_client.ts";
import { LoginRequiredError } from "../../lib/core/errors.ts";
import type { EventBody } from "../../lib/progress/events.ts";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { openClient } from "../../lib/telegram/client.ts";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";
import { getAccount } from "../../lib/telegram/get_account.ts";

Deno.test("openClient connects through the seam, getAccount answers, close leaves nothing open", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=2,messages=20", basePort: 0 });
  try {
    const client = await openFakeDcClient(tg);
    try {
      const me = await getAccount(client);
      assert.equal(me.id, Number(tg.world.selfUserId));
      assert.equal(me.dc_id, 2);
      assert.equal(me.bot, false);
    } finally {
      await client.close();
    }
  } finally {
    await tg.close();
  }
});

/** A well-formed session string on the fake DC's home DC whose 256-byte auth key nobody made. */
function _unknownKeySession(real: string): string {
  const b = Buffer.from(real.slice(1), "base64");
  b.set(crypto.getRandomValues(new Uint8Array(256)), 7);
  return "1" + b.toString("base64");
}

Deno.test("a session whose auth key the server does not know (-404) is LoginRequiredError at once, no retries", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=1,messages=5", basePort: 0 });
  try {
    const events: EventBody[] = [];
    const t0 = performance.now();
    await assert.rejects(
      openClient({
        apiId: Number(tg.env.TGPIPE_API_ID),
        apiHash: tg.env.TGPIPE_API_HASH,
        session: _unknownKeySession(tg.env.TGPIPE_SESSION),
        endpoints: parseEndpoints(tg.env.TGPIPE_TELEGRAM_ENDPOINTS),
        emit: (e) => events.push(e),
        // without the guard a call would wait for its timeout: keep that short so this test fails fast
        policy: { timeoutMs: 3_000, maxRetries: 1 },
      }),
      (e: unknown) => e instanceof LoginRequiredError && /the server does not know its key/.test(e.message),
    );
    assert.ok(performance.now() - t0 < 10_000, `took ${Math.round(performance.now() - t0)} ms`);
    assert.deepEqual(events.filter((e) => e.type === "retry"), [], "a dead key is not retried");
  } finally {
    await tg.close();
  }
});

Deno.test("a session deleted on the server mid-run: the call in flight and every later one fail at once", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=1,messages=5", basePort: 0 });
  try {
    const client = await openFakeDcClient(tg, {
      policy: { timeoutMs: 3_000, maxRetries: 1 },
    });
    try {
      await getAccount(client);
      // the only logged-in key of this cluster is the env session's: forget it
      tg.registry.clear();
      const t0 = performance.now();
      await assert.rejects(getAccount(client), LoginRequiredError);
      await assert.rejects(getAccount(client), LoginRequiredError);
      assert.ok(performance.now() - t0 < 10_000, `took ${Math.round(performance.now() - t0)} ms`);
    } finally {
      await client.close();
    }
  } finally {
    await tg.close();
  }
});
