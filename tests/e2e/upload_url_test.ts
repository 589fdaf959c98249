/**
 * `tgpipe upload <url>` end to end: the real CLI against the fake DC, the bytes from a loopback
 * origin (Range, injected faults), read back with `tgpipe download` and compared by sha256.
 */
import assert from "node:assert/strict";
import { startOrigin } from "../_helpers/http_origin.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { spawnWithEvents } from "./_export_helpers.ts";
import { arrived, seededBytes, sha256, withUploadDc } from "./_upload_helpers.ts";

const T = { timeoutMs: 150_000 };
const MB = 1 << 20;

Deno.test({
  name:
    "upload: URLs with and without length, a drop resumed by Range, a 503 retried; 404, unreachable and a lying length fail alone",
  fn: (t) =>
    withUploadDc({
      world: "gen:chats=1,messages=3,files=0",
      prefix: "tgpipe_upurl_",
    }, async ({ tg, dir, env }) => {
      const files = {
        "/len.bin": seededBytes(3 * MB + 123, 1),
        // over 10 MB and no length: a big file with file_total_parts = -1 until its last part
        "/chunked.bin": seededBytes(12 * MB + 5, 2),
        "/drop.bin": seededBytes(4 * MB + 7, 3),
        "/flaky.bin": seededBytes(200_000, 5),
      };
      const origin = startOrigin({
        "/len.bin": { body: files["/len.bin"] },
        "/chunked.bin": { body: files["/chunked.bin"], faults: () => ({ chunked: true }) },
        // request 0 is the probe (its body is not read); the body's own request breaks
        "/drop.bin": {
          body: files["/drop.bin"],
          faults: ({ n }) => (n === 1 ? { dropAfter: 1_500_000 } : {}),
        },
        // a 503 at first: worth another attempt, which the job runner makes
        "/flaky.bin": { body: files["/flaky.bin"], faults: ({ n }) => (n === 0 ? { status: 503 } : {}) },
        "/missing.bin": { body: new Uint8Array(0), faults: () => ({ status: 404 }) },
        "/liar.bin": { body: seededBytes(100_000, 4), faults: () => ({ declaredLength: 101_000 }) },
      });
      const url = (p: string) => `${origin.base}${p}`;
      // a port nothing listens on any more: the origin cannot be reached
      const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const gone = `http://127.0.0.1:${(closed.addr as Deno.NetAddr).port}/gone.bin`;
      closed.close();
      try {
        await t.step(
          "four arrive whole (a 503 retried), three fail with their categories (exit 3)",
          async () => {
            const r = await runCli([
              "--json",
              "upload",
              ...["/len.bin", "/chunked.bin", "/drop.bin", "/flaky.bin", "/missing.bin", "/liar.bin"].map(
                url,
              ),
              gone,
              "--caption",
              "{source}",
              "--report",
              `${dir}/r.json`,
            ], { env, ...T });
            assert.equal(r.code, 3, r.stderr);
            const got = await arrived(tg.world);
            assert.deepEqual(got.map((g) => g.name).sort(), [
              "chunked.bin",
              "drop.bin",
              "flaky.bin",
              "len.bin",
            ]);
            for (const g of got) {
              assert.equal(g.sha256, sha256(files[`/${g.name}` as keyof typeof files]), g.name);
              assert.equal(g.msg.text, url(`/${g.name}`), "{source} is the URL");
            }
            const report = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
            assert.equal(report.categories.source, 1, JSON.stringify(report.categories));
            assert.equal(report.categories.corruption, 1, JSON.stringify(report.categories));
            assert.equal(report.categories.connection, 1, JSON.stringify(report.categories));
            const outcome = (u: string) =>
              report.files.find((f: { item: string }) =>
                f.item === `url:${u.startsWith("/") ? url(u) : u}`
              ) as Record<
                string,
                unknown
              >;
            // unreachable: worth the runner's retries, then counted as connection
            assert.deepEqual([outcome(gone).category, outcome(gone).attempts], ["connection", 3]);
            assert.equal(outcome("/missing.bin").category, "source", JSON.stringify(outcome("/missing.bin")));
            assert.equal(outcome("/flaky.bin").attempts, 2, JSON.stringify(outcome("/flaky.bin")));
            assert.equal(outcome("/liar.bin").category, "corruption", JSON.stringify(outcome("/liar.bin")));
            // the 404 and the lie are not worth another attempt: asked once (the probe), not retried
            assert.equal(origin.requests.filter((q) => q.path === "/missing.bin").length, 1);
            // the drop resumed where it broke instead of starting over
            const resumed = origin.requests.filter((q) => q.path === "/drop.bin" && q.n >= 2);
            assert.ok(
              resumed.some((q) => /^bytes=[1-9]\d*-/.test(q.range ?? "")),
              JSON.stringify(origin.requests),
            );
          },
        );
        await t.step("tgpipe download reads the four back byte for byte", async () => {
          const out = `${dir}/back`;
          const dl = await runCli(
            ["download", "me", "--match", "\\.bin$", "--template", "{filename}", "--out", out],
            { env: { ...tg.env, TGPIPE_KV: `${dir}/dl.kv` }, ...T },
          );
          assert.equal(dl.code, 0, dl.stderr);
          for (const [p, body] of Object.entries(files)) {
            assert.equal(sha256(await Deno.readFile(`${out}${p}`)), sha256(body), p);
          }
        });
      } finally {
        await origin.close();
      }
    }),
});

Deno.test({
  name: "upload <url>: kill -9 mid-body, the rerun continues from the saved parts by Range",
  fn: () =>
    withUploadDc({
      world: "gen:chats=1,messages=1,files=0",
      prefix: "tgpipe_upurl_",
    }, async ({ tg, env }) => {
      const body = seededBytes(16 * MB, 9);
      // the first run's origin stalls at 6 MB: it cannot finish before the kill, whatever the machine
      let firstRun = true;
      const origin = startOrigin({
        "/big.bin": { body, faults: () => (firstRun ? { stallAfter: 6 * MB } : {}) },
      });
      try {
        const args = ["--json", "upload", `${origin.base}/big.bin`];
        let killedAt = 0;
        const run = spawnWithEvents(args, env, (e) => {
          if (e.type !== "item_progress" || killedAt || e.done_bytes < 3 * MB) return;
          killedAt = e.done_bytes;
          run.child.kill("SIGKILL");
        });
        const code = await run.done();
        assert.ok(killedAt > 0, `step "first run": ended (${code}) before 3 MB were confirmed`);
        assert.equal((await arrived(tg.world)).length, 0, "nothing sent yet");
        firstRun = false;
        const asked = origin.requests.length;
        const again = await runCli(args, { env, ...T });
        assert.equal(again.code, 0, again.stderr);
        assert.deepEqual((await arrived(tg.world)).map((g) => g.sha256), [sha256(body)]);
        const res = again.events.find((e) => e.type === "result");
        const file = res?.type === "result"
          ? (res.data as { files: Array<{ resumed_parts: number }> }).files[0]
          : undefined;
        // parts confirmed before the kill were not sent again
        assert.ok(
          file && file.resumed_parts >= Math.floor(killedAt / (512 * 1024)),
          JSON.stringify({ killedAt, file }),
        );
        // the rerun asked the origin from the first missing part on, not from byte 0
        const later = origin.requests.slice(asked).map((q) => q.range);
        assert.ok(later.some((r) => /^bytes=[1-9]\d*-/.test(r ?? "")), JSON.stringify(later));
      } finally {
        await origin.close();
      }
    }),
});
