import assert from "node:assert/strict";
import { configShow } from "../_helpers/config_show.ts";

/** A temp dir with an XDG config file, a $TGPIPE_CONFIG file and a --config file. */
async function withFiles(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_prec_" });
  try {
    await Deno.mkdir(`${dir}/xdg/tgpipe`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/xdg/tgpipe/config.json`,
      JSON.stringify({ kv: "/xdg/kv", session: "/xdg/session", api_id: 11, ffmpeg: "/xdg/ffmpeg" }),
    );
    await Deno.writeTextFile(`${dir}/envfile.json`, JSON.stringify({ kv: "/envfile/kv", api_id: 22 }));
    await Deno.writeTextFile(`${dir}/flagfile.json`, JSON.stringify({ kv: "/flagfile/kv", quiet: true }));
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function pick(rows: Map<string, { value: unknown; source: string }>, key: string): [unknown, string] {
  const row = rows.get(key);
  assert.ok(row, `config show has ${key}`);
  return [row.value, row.source];
}

Deno.test("config: with nothing set every value is a default under the XDG dirs", async () => {
  const { configFile, rows } = await configShow([], { env: { XDG_DATA_HOME: "/d", XDG_CONFIG_HOME: "/c" } });
  assert.equal(configFile, "/c/tgpipe/config.json");
  assert.deepEqual(pick(rows, "kv"), ["/d/tgpipe/progress.kv", "default"]);
  assert.deepEqual(pick(rows, "api_id"), [null, "default"]);
  assert.deepEqual(pick(rows, "json"), [true, "flag"]);
  for (const [key, row] of rows) if (key !== "json") assert.equal(row.source, "default", key);
});

Deno.test("config: the file in $XDG_CONFIG_HOME/tgpipe is read when nothing else is given", async () => {
  await withFiles(async (dir) => {
    const { configFile, rows } = await configShow([], { env: { XDG_CONFIG_HOME: `${dir}/xdg` } });
    assert.equal(configFile, `${dir}/xdg/tgpipe/config.json`);
    assert.deepEqual(pick(rows, "kv"), ["/xdg/kv", "file"]);
    assert.deepEqual(pick(rows, "api_id"), [11, "file"]);
    assert.deepEqual(pick(rows, "ffmpeg"), ["/xdg/ffmpeg", "file"]);
  });
});

Deno.test("config: $TGPIPE_CONFIG replaces the XDG file", async () => {
  await withFiles(async (dir) => {
    const env = { XDG_CONFIG_HOME: `${dir}/xdg`, TGPIPE_CONFIG: `${dir}/envfile.json` };
    const { configFile, rows } = await configShow([], { env });
    assert.equal(configFile, `${dir}/envfile.json`);
    assert.deepEqual(pick(rows, "kv"), ["/envfile/kv", "file"]);
    assert.deepEqual(pick(rows, "api_id"), [22, "file"]);
    // Files are not merged: the XDG file's other keys are not read.
    assert.deepEqual(pick(rows, "ffmpeg"), [null, "default"]);
  });
});

Deno.test("config: --config replaces $TGPIPE_CONFIG", async () => {
  await withFiles(async (dir) => {
    const env = { XDG_CONFIG_HOME: `${dir}/xdg`, TGPIPE_CONFIG: `${dir}/envfile.json` };
    const { configFile, rows } = await configShow(["--config", `${dir}/flagfile.json`], { env });
    assert.equal(configFile, `${dir}/flagfile.json`);
    assert.deepEqual(pick(rows, "kv"), ["/flagfile/kv", "file"]);
    assert.deepEqual(pick(rows, "quiet"), [true, "file"]);
    assert.deepEqual(pick(rows, "api_id"), [null, "default"]);
  });
});

Deno.test("config: env TGPIPE_* beats the file, and a flag beats env", async () => {
  await withFiles(async (dir) => {
    const env = {
      XDG_CONFIG_HOME: `${dir}/xdg`,
      TGPIPE_KV: "/env/kv",
      TGPIPE_SESSION: "/env/session",
      TGPIPE_API_ID: "33",
      TGPIPE_QUIET: "1",
    };
    const { rows } = await configShow(["--kv", "/flag/kv"], { env });
    assert.deepEqual(pick(rows, "kv"), ["/flag/kv", "flag"]);
    assert.deepEqual(pick(rows, "session"), ["/env/session", "env"]);
    assert.deepEqual(pick(rows, "api_id"), [33, "env"]);
    assert.deepEqual(pick(rows, "quiet"), [true, "env"]);
    assert.deepEqual(pick(rows, "ffmpeg"), ["/xdg/ffmpeg", "file"]);
  });
});

Deno.test("config: an empty TGPIPE_* variable counts as unset", async () => {
  await withFiles(async (dir) => {
    const { rows } = await configShow([], { env: { XDG_CONFIG_HOME: `${dir}/xdg`, TGPIPE_KV: "" } });
    assert.deepEqual(pick(rows, "kv"), ["/xdg/kv", "file"]);
  });
});

Deno.test("config: data_dir moves the default kv and session paths", async () => {
  const { rows } = await configShow([], { env: { TGPIPE_DATA_DIR: "/data" } });
  assert.deepEqual(pick(rows, "data_dir"), ["/data", "env"]);
  assert.deepEqual(pick(rows, "kv"), ["/data/progress.kv", "default"]);
  assert.deepEqual(pick(rows, "session"), ["/data/session", "default"]);
});
