import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";

Deno.test("whoami with the fake DC's session env prints the account, phone masked", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=2,messages=10", basePort: 0 });
  try {
    const secrets = [tg.env.TGPIPE_SESSION, tg.env.TGPIPE_API_HASH];
    const r = await runCli(["--json", "whoami"], { env: tg.env, secrets });
    assert.equal(r.code, 0, r.stderr);
    const result = r.events.find((e) => e.type === "result");
    assert.ok(result && result.type === "result");
    const data = result.data as { id: number; bot: boolean; dc_id: number; phone_masked?: string };
    assert.equal(data.id, Number(tg.world.selfUserId));
    assert.equal(data.bot, false);
    assert.equal(data.dc_id, 2);
    const human = await runCli(["whoami"], { env: tg.env, secrets });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`^id\\s+${tg.world.selfUserId}$`, "m"));
    for (const s of secrets) assert.ok(!(r.stdout + r.stderr + human.stdout + human.stderr).includes(s));
  } finally {
    await tg.close();
  }
});

Deno.test("whoami without any session exits 4 with a one-line error", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=1,messages=1", basePort: 0 });
  try {
    const { TGPIPE_SESSION: _, ...env } = tg.env;
    const r = await runCli(["whoami"], { env });
    assert.equal(r.code, 4);
    assert.equal(r.stderr, "error: Not logged in; run `tgpipe login` first\n");
  } finally {
    await tg.close();
  }
});

Deno.test("whoami asks Telegram for the account once: the session check on connect already fetched it", async () => {
  const rpcs: string[] = [];
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=1",
    basePort: 0,
    trace: true,
    log: (line) => void (line.includes("<- ") && rpcs.push(line.slice(line.indexOf("<- ") + 3))),
  });
  try {
    const r = await runCli(["whoami"], { env: tg.env });
    assert.equal(r.code, 0, r.stderr);
    // bare from GramJS, or inside invokeWithLayer(initConnection(...)) from the early session check
    assert.equal(rpcs.filter((m) => /(^|> )users\.GetUsers /.test(m)).length, 1, rpcs.join("\n"));
  } finally {
    await tg.close();
  }
});
