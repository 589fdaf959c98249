import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import nodeCrypto from "node:crypto";
import { DEV_BLOB_SIZE, DEV_SELF, startDev } from "./_dev_cluster.ts";
import { devBlob } from "./_dev_handlers.ts";
import type { FakeTelegram } from "./cluster.ts";

const PY = "/usr/bin/python3";
const hasTelethon = (() => {
  try {
    return new Deno.Command(PY, { args: ["-c", "import telethon"], stdout: "null", stderr: "null" })
      .outputSync()
      .success;
  } catch {
    return false;
  }
})();
const ignore = !hasTelethon;
if (ignore) {
  console.warn("telethon_test: skipped, /usr/bin/python3 has no telethon (apt-get install python3-telethon)");
}

// deno-lint-ignore no-explicit-any
async function runTelethon(tg: FakeTelegram, steps: string[], session = ""): Promise<Record<string, any>> {
  const home = tg.dcs.find((d) => d.id === tg.homeDcId)!;
  const cfg = {
    pem: tg.rsa.pem,
    fingerprint: tg.rsa.fingerprint,
    dc_id: home.id,
    host: "127.0.0.1",
    port: home.port,
    session,
    steps,
    doc: { id: 555, access_hash: 666, file_reference: [1, 2, 3], size: DEV_BLOB_SIZE },
  };
  const script = new URL("./peers/telethon_client.py", import.meta.url).pathname;
  const out = await new Deno.Command(PY, {
    args: [script, JSON.stringify(cfg)],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n").filter(Boolean).map((l) =>
    JSON.parse(l)
  );
  const err = lines.find((l) => l.error);
  assert.ok(
    out.success && !err,
    `telethon failed: ${err?.error ?? new TextDecoder().decode(out.stderr).slice(-800)}`,
  );
  return Object.fromEntries(lines.map((l) => [l.step, l]));
}

Deno.test({
  name:
    "Telethon (intermediate, legacy RSA padding, layer 144) logs in, pings, gets gzip and downloads across DCs",
  ignore,
  async fn() {
    const tg = await startDev();
    try {
      const r = await runTelethon(tg, ["bot_login", "get_me", "app_config", "ping", "download"]);
      assert.equal(r.get_me.id, Number(DEV_SELF));
      assert.equal(r.ping.ping_id, 12345);
      assert.equal(r.app_config.type, "JsonObject"); // layer 144 answer class
      const want = nodeCrypto.createHash("sha256").update(Buffer.from(devBlob(DEV_BLOB_SIZE))).digest("hex");
      assert.equal(r.download.sha256, want);
      assert.equal(tg.stats.handshakes, 2, "home DC key plus a DC 4 key for the download");
      assert.ok(tg.stats.gzipOut >= 1);
      assert.deepEqual([...tg.unimplemented], []);
    } finally {
      await tg.close();
    }
  },
});

for (const skewS of [600, -600]) {
  Deno.test({
    name: `Telethon corrects a ${skewS}s clock skew from bad_msg_notification`,
    ignore,
    async fn() {
      const tg = await startDev({ clockOffsetMs: skewS * 1000 });
      try {
        const r = await runTelethon(tg, ["get_me"], tg.sessionFor());
        assert.equal(r.get_me.id, Number(DEV_SELF));
        assert.ok(Math.abs(r.get_me.time_offset - skewS) <= 1, `offset ${r.get_me.time_offset}`);
        assert.ok(tg.stats.badMsgNotification >= 1);
      } finally {
        await tg.close();
      }
    },
  });
}
