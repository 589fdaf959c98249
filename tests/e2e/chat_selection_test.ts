/** `chats --type/--name/--with-username/--unread` and `export --all/--type/--exclude`, against the fake DC. */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";

const T = { timeoutMs: 120_000 };

Deno.test({
  name: "chats filters and export --all/--type/--exclude take exactly the chats they name",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tg = await startFakeTelegram({
      world: "gen:chats=4,messages=12,files=0,forum=1,topics=2,comments=0,left=0",
      basePort: 0,
    });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_select_" });
    const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
    tg.world.chats.get("channel:1700000001")!.unread = 3;
    const list = async (...args: string[]) => {
      const r = await runCli(["--json", "chats", "--no-counts", ...args], { env, ...T });
      assert.equal(r.code, 0, r.stderr);
      return (r.events.find((e) => e.type === "result")!.data as { id: number; kind: string }[]);
    };
    const exported = (out: string) =>
      [...Deno.readDirSync(`${out}/chats`)].map((e) => Number(e.name)).sort((a, b) => a - b);
    try {
      const all = await list();
      const kinds = new Set(all.map((c) => c.kind));
      for (const k of ["channel", "supergroup", "user", "group", "forum"]) assert.ok(kinds.has(k), k);
      assert.deepEqual((await list("--type", "channel")).map((c) => c.kind), ["channel"]);
      const groups = await list("--type", "group");
      assert.deepEqual(new Set(groups.map((c) => c.kind)), new Set(["supergroup", "group", "forum"]));
      assert.deepEqual((await list("--name", "^forum")).map((c) => c.id), [1750000000]);
      assert.ok((await list("--with-username")).every((c) => all.find((a) => a.id === c.id)));
      assert.deepEqual((await list("--unread")).map((c) => c.id), [1700000001]);
      const bad = await runCli(["chats", "--type", "chanel"], { env, ...T });
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, /Unknown chat type "chanel"/);

      const r = await runCli([
        "export",
        "--all",
        "--exclude",
        "@gen_forum_0",
        "--out",
        `${dir}/a`,
        "--media",
        "none",
      ], {
        env,
        ...T,
      });
      assert.equal(r.code, 0, r.stderr);
      const want = all.filter((c) => c.id !== 1750000000).map((c) => c.id).sort((a, b) => a - b);
      assert.deepEqual(await exported(`${dir}/a`), want);

      const g = await runCli(["export", "--type", "group", "--exclude", "1700000001", "--out", `${dir}/b`], {
        env,
        ...T,
      });
      assert.equal(g.code, 0, g.stderr);
      assert.deepEqual(
        await exported(`${dir}/b`),
        groups.map((c) => c.id).filter((id) => id !== 1700000001).sort((a, b) => a - b),
      );

      const rpcs = tg.stats.rpcs;
      for (const args of [["--out", `${dir}/c`], ["--all", "--exclude", "t.me/", "--out", `${dir}/c`]]) {
        const n = await runCli(["export", ...args], { env, ...T });
        assert.equal(n.code, 2, n.stderr);
      }
      assert.equal(tg.stats.rpcs, rpcs, "bad input makes no request");
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
