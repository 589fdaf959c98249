import assert from "node:assert/strict";
import { REPO } from "../_helpers/run_cli.ts";

Deno.test("deno task demo starts the fake DC with a generated world, lists chats and exports a channel", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_demo_test_" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "--quiet", "--config", `${REPO}deno.json`, "demo", `${tmp}/demo-out`],
      cwd: tmp,
      env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr).slice(-2000));
    assert.match(stdout, /\$ tgpipe chats/);
    assert.match(stdout, /gen_channel_0/, "chats lists the generated channel");
    assert.match(stdout, /done: open /);
    const index = await Deno.readTextFile(`${tmp}/demo-out/index.md`);
    assert.ok(index.length > 0);
    const chats = [...Deno.readDirSync(`${tmp}/demo-out/chats`)];
    assert.equal(chats.length, 1);
    const jsonl = await Deno.readTextFile(`${tmp}/demo-out/chats/${chats[0].name}/messages.jsonl`);
    assert.ok(jsonl.trim().split("\n").length >= 400, "every message of the channel exported");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
