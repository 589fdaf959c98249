import assert from "node:assert/strict";
import { findTool, INSTALL_HINTS } from "../../lib/tools/find_tool.ts";
import { ToolMissingError } from "../../lib/core/errors.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe-find-tool-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A shell script that answers `-version` like ffmpeg does, tagged so tests can tell copies apart. */
async function fakeFfmpeg(dir: string, tag: string, mode = 0o755): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/ffmpeg`;
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\necho "ffmpeg version ${tag} Copyright (c) the FFmpeg developers"\n`,
  );
  await Deno.chmod(path, mode);
  return path;
}

Deno.test("findTool takes the first ffmpeg on the search path and reads its version", async () => {
  await withDir(async (dir) => {
    const a = await fakeFfmpeg(`${dir}/a`, "1.0-a");
    await fakeFfmpeg(`${dir}/b`, "2.0-b");
    const t = await findTool("ffmpeg", { searchPath: `${dir}/missing::${dir}/a:${dir}/b`, cacheDir: dir });
    assert.deepEqual(t, { name: "ffmpeg", path: a, version: "1.0-a", source: "path" });
  });
});

Deno.test("findTool prefers the configured path over the search path", async () => {
  await withDir(async (dir) => {
    await fakeFfmpeg(`${dir}/onpath`, "1.0-path");
    const conf = await fakeFfmpeg(`${dir}/conf`, "3.0-conf");
    const t = await findTool("ffmpeg", { configured: conf, searchPath: `${dir}/onpath`, cacheDir: dir });
    assert.equal(t.source, "configured");
    assert.equal(t.path, conf);
    assert.equal(t.version, "3.0-conf");
  });
});

Deno.test("findTool treats a configured bare name as a command looked up on the search path", async () => {
  await withDir(async (dir) => {
    const p = await fakeFfmpeg(`${dir}/bin`, "4.0");
    const t = await findTool("ffmpeg", { configured: "ffmpeg", searchPath: `${dir}/bin`, cacheDir: dir });
    assert.equal(t.path, p);
    assert.equal(t.source, "configured");
  });
});

Deno.test("findTool fails on a configured path that does not exist instead of falling back", async () => {
  await withDir(async (dir) => {
    await fakeFfmpeg(`${dir}/onpath`, "1.0");
    const err = await findTool("ffmpeg", {
      configured: `${dir}/nope/ffmpeg`,
      searchPath: `${dir}/onpath`,
      cacheDir: dir,
    }).then(() => undefined, (e) => e);
    assert.ok(err instanceof ToolMissingError);
    assert.equal(err.tool, "ffmpeg");
    assert.match(err.hint, /configured ffmpeg ".*nope\/ffmpeg" does not exist; fix or unset --ffmpeg/);
  });
});

Deno.test("findTool skips files on the search path that are not executable", async () => {
  await withDir(async (dir) => {
    await fakeFfmpeg(`${dir}/noexec`, "0.1", 0o644);
    const ok = await fakeFfmpeg(`${dir}/exec`, "0.2");
    const t = await findTool("ffmpeg", { searchPath: `${dir}/noexec:${dir}/exec`, cacheDir: dir });
    assert.equal(t.path, ok);
  });
});

Deno.test("findTool throws ToolMissingError with an install hint for a missing tool", async () => {
  await withDir(async (dir) => {
    for (const name of ["rclone", "yt-dlp", "whisper-cli"] as const) {
      const err = await findTool(name, { searchPath: dir, cacheDir: dir }).then(() => undefined, (e) => e);
      assert.ok(err instanceof ToolMissingError, name);
      assert.equal(err.tool, name);
      assert.equal(err.hint, INSTALL_HINTS[name]);
      assert.equal(err.code, "TOOL_MISSING");
    }
    assert.match(INSTALL_HINTS.rclone, /apt-get install rclone/);
    assert.match(INSTALL_HINTS["whisper-cli"], /scripts\/build_whisper\.sh/);
  });
});

Deno.test("findTool falls back to the npm-bundled ffmpeg and ffprobe when PATH has none", async () => {
  await withDir(async (dir) => {
    for (const name of ["ffmpeg", "ffprobe"] as const) {
      const t = await findTool(name, { searchPath: dir, cacheDir: dir });
      assert.equal(t.source, "bundled", name);
      assert.match(t.path, new RegExp(`@${name}-installer/linux-x64/${name}$`));
      assert.match(t.version ?? "", /static/);
    }
  });
});

Deno.test("findTool finds Debian's telethon through a python3 on the search path", async () => {
  await withDir(async (dir) => {
    // A python3 without telethon comes first on the path: it must be skipped, not chosen.
    await Deno.writeTextFile(`${dir}/python3`, "#!/bin/sh\necho 'ModuleNotFoundError' >&2\nexit 1\n");
    await Deno.chmod(`${dir}/python3`, 0o755);
    const t = await findTool("python3-telethon", { searchPath: `${dir}:/usr/bin`, cacheDir: dir });
    assert.equal(t.path, "/usr/bin/python3");
    assert.match(t.version ?? "", /^\d+\.\d+/);
    const err = await findTool("python3-telethon", { searchPath: dir, cacheDir: dir }).then(
      () => 0,
      (e) => e,
    );
    assert.ok(err instanceof ToolMissingError);
    assert.match(err.hint, /can import telethon; install it with `apt-get install python3-telethon`/);
  });
});

Deno.test("findTool reads real versions of the Debian tools", async () => {
  const t = await findTool("rclone", { searchPath: "/usr/bin", cacheDir: "/nonexistent" });
  assert.match(t.version ?? "", /^v\d+\.\d+/);
  const y = await findTool("yt-dlp", { searchPath: "/usr/bin", cacheDir: "/nonexistent" });
  assert.match(y.version ?? "", /^\d{4}\.\d{2}\.\d{2}/);
});

Deno.test("findTool honours an aborted signal", async () => {
  const reason = new Error("stop");
  await assert.rejects(
    findTool("ffmpeg", { searchPath: "/usr/bin", cacheDir: "/x", signal: AbortSignal.abort(reason) }),
    (e) => e === reason,
  );
});

Deno.test("findTool with version: false finds the tool without running it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // a "yt-dlp" that leaves a mark when it runs
    await Deno.writeTextFile(`${dir}/yt-dlp`, `#!/bin/sh\ntouch ${dir}/ran\necho 2099.01.01\n`);
    await Deno.chmod(`${dir}/yt-dlp`, 0o755);
    const quiet = await findTool("yt-dlp", { searchPath: dir, cacheDir: dir, version: false });
    assert.deepEqual([quiet.path, quiet.version, quiet.source], [`${dir}/yt-dlp`, undefined, "path"]);
    const configured = await findTool("yt-dlp", {
      configured: `${dir}/yt-dlp`,
      searchPath: "",
      cacheDir: dir,
      version: false,
    });
    assert.equal(configured.version, undefined);
    assert.equal(await Deno.stat(`${dir}/ran`).then(() => true, () => false), false, "never ran");
    assert.equal((await findTool("yt-dlp", { searchPath: dir, cacheDir: dir })).version, "2099.01.01");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
