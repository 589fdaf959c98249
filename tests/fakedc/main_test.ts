import assert from "node:assert/strict";

const MAIN = new URL("./main.ts", import.meta.url).pathname;
const deno = (args: string[]) =>
  new Deno.Command(Deno.execPath(), {
    // node_modules as installed: see tgpipeArgs in tests/_helpers/run_cli.ts
    args: ["run", "-A", "--unstable-kv", "--node-modules-dir=manual", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  });

Deno.test("fakedc main prints one JSON line, serves, and exits 0 on SIGTERM", async () => {
  const p = deno(["--world", "gen:chats=1,messages=5", "--seed", "2"]).spawn();
  const reader = p.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const r = await reader.read();
    if (r.done) break;
    text += r.value;
  }
  const info = JSON.parse(text.split("\n")[0]);
  assert.deepEqual(info.dcs.map((d: { id: number }) => d.id), [2, 1, 4]);
  assert.ok(info.env.TGPIPE_SESSION.startsWith("1"));
  assert.ok(info.world.selfUserId);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: info.dcs[0].port });
  conn.close();
  p.kill("SIGTERM");
  while (!(await reader.read()).done) { /* drain */ }
  const status = await p.status;
  await p.stderr.cancel();
  assert.equal(status.code, 0);
});

Deno.test("fakedc main rejects bad arguments with one line and exit code 2", async () => {
  for (const args of [["--world", "gen:x", "--faults", "nope=1"], [], ["--world", "gen:x", "--port", "-3"]]) {
    const out = await deno(args).output();
    const err = new TextDecoder().decode(out.stderr).trim();
    assert.equal(out.code, 2, err);
    assert.equal(err.split("\n").length, 1, err);
    assert.match(err, /^fakedc: /);
  }
});
