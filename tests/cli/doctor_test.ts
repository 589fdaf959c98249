import assert from "node:assert/strict";
import { runCli } from "../_helpers/run_cli.ts";
import type { DoctorReport } from "../../lib/app/doctor/doctor.ts";
import type { RunCliResult } from "../_helpers/run_cli.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe-doctor-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function report(r: RunCliResult): DoctorReport {
  const ev = r.events.find((e) => e.type === "result" && e.kind === "doctor");
  assert.ok(ev && ev.type === "result", `no doctor result in: ${r.stdout}\n${r.stderr}`);
  return ev.data as DoctorReport;
}

function tool(rep: DoctorReport, name: string) {
  const t = rep.tools.find((t) => t.name === name);
  assert.ok(t, name);
  return t;
}

Deno.test("doctor --json reports runtime, a writable store and the Debian tools on PATH", async () => {
  await withDir(async (dir) => {
    // A stand-in whisper-cli and a file with the ggml magic: doctor only asks for a version.
    await Deno.writeTextFile(`${dir}/whisper-cli`, "#!/bin/sh\necho 'whisper.cpp version: 1.9.1'\n");
    await Deno.chmod(`${dir}/whisper-cli`, 0o755);
    await Deno.writeFile(`${dir}/model.bin`, new Uint8Array([0x6c, 0x6d, 0x67, 0x67, 1, 2, 3, 4]));
    const r = await runCli([
      "--json",
      "doctor",
      "--whisper-cli",
      `${dir}/whisper-cli`,
      "--whisper-model",
      `${dir}/model.bin`,
    ], { env: { PATH: "/usr/bin:/bin" } });
    assert.equal(r.code, 0, r.stderr);
    const rep = report(r);
    assert.equal(rep.ok, true);
    assert.equal(rep.runtime.deno, Deno.version.deno);
    assert.equal(rep.runtime.compiled, false);
    assert.equal(rep.store.writable, true);
    assert.equal(rep.session.state, "missing");
    assert.deepEqual(
      { ...tool(rep, "ffmpeg"), version: undefined },
      { name: "ffmpeg", found: true, path: "/usr/bin/ffmpeg", source: "path", version: undefined },
    );
    assert.match(tool(rep, "ffmpeg").version ?? "", /\d/);
    assert.match(tool(rep, "rclone").version ?? "", /^v\d/);
    assert.equal(tool(rep, "yt-dlp").found, true);
    assert.equal(tool(rep, "python3-telethon").found, true);
    assert.equal(tool(rep, "fpcalc").found, true);
    assert.deepEqual(tool(rep, "whisper-cli"), {
      name: "whisper-cli",
      found: true,
      path: `${dir}/whisper-cli`,
      version: "1.9.1",
      source: "configured",
    });
    assert.deepEqual(rep.whisper_model, { path: `${dir}/model.bin`, state: "ggml", bytes: 8 });
  });
});

Deno.test("doctor with an empty PATH reports missing tools as warnings and still exits 0", async () => {
  const r = await runCli(["--json", "doctor"], { env: { PATH: "" } });
  assert.equal(r.code, 0, r.stderr);
  const rep = report(r);
  for (const name of ["rclone", "yt-dlp", "whisper-cli", "python3-telethon", "fpcalc"]) {
    const t = tool(rep, name);
    assert.equal(t.found, false, name);
    assert.ok(t.hint && t.hint.length > 10, name);
    assert.ok(rep.warnings.some((w) => w.startsWith(`${name} not found`)), name);
  }
  assert.match(tool(rep, "rclone").hint ?? "", /apt-get install rclone/);
  // ffmpeg/ffprobe still come from the npm packages.
  assert.equal(tool(rep, "ffmpeg").source, "bundled");
  assert.equal(tool(rep, "ffprobe").source, "bundled");
  assert.equal(rep.whisper_model.state, "unset");
});

Deno.test("doctor exits 1 when the progress store is not writable", async () => {
  await withDir(async (dir) => {
    await Deno.chmod(dir, 0o555);
    // root ignores directory modes, so there a path under /proc (no files can be created) is used.
    const kv = Deno.uid() === 0 ? "/proc/tgpipe-doctor-test.kv" : `${dir}/progress.kv`;
    try {
      const r = await runCli(["--json", "doctor", "--kv", kv], { env: { PATH: "/usr/bin:/bin" } });
      assert.equal(r.code, 1, r.stderr);
      const rep = report(r);
      assert.equal(rep.ok, false);
      assert.equal(rep.store.writable, false);
      assert.ok(rep.store.error);
      const human = await runCli(["doctor", "--kv", kv], { env: { PATH: "/usr/bin:/bin" } });
      assert.equal(human.code, 1);
      assert.match(human.stdout, /FAIL progress store/);
    } finally {
      await Deno.chmod(dir, 0o755);
    }
  });
});

Deno.test("doctor reports the session file's mode but never its content", async () => {
  await withDir(async (dir) => {
    const session = `${dir}/session`;
    const secret = "1BVtsOKABu0-super-secret-session-string";
    await Deno.writeTextFile(session, secret);
    await Deno.chmod(session, 0o644);
    const loose = await runCli(["--json", "--session", session, "doctor"], { secrets: [secret] });
    assert.equal(report(loose).session.state, "insecure");
    assert.equal(report(loose).session.mode, "644");
    await Deno.chmod(session, 0o600);
    const tight = await runCli(["--session", session, "doctor"], { secrets: [secret] });
    assert.match(tight.stdout, /session .*session present \(mode 600\)/);
    for (const out of [loose.stdout, loose.stderr, tight.stdout, tight.stderr]) {
      assert.ok(!out.includes(secret));
    }
  });
});

Deno.test("doctor flags a configured path that does not exist and a model that is not ggml", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/model.bin`, "GGUF not a whisper model");
    const r = await runCli(
      ["--json", "doctor", "--ffmpeg", `${dir}/no-ffmpeg`, "--whisper-model", `${dir}/model.bin`],
      { env: { PATH: "/usr/bin:/bin" } },
    );
    assert.equal(r.code, 0, r.stderr);
    const rep = report(r);
    assert.equal(tool(rep, "ffmpeg").found, false);
    assert.match(tool(rep, "ffmpeg").hint ?? "", /configured ffmpeg .* does not exist/);
    assert.equal(rep.whisper_model.state, "not_ggml");
  });
});

Deno.test("doctor --help shows examples", async () => {
  const r = await runCli(["doctor", "--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Examples:\n {2}tgpipe doctor/);
  assert.match(r.stdout, /--whisper-model <file>/);
});

Deno.test("doctor shows yt-dlp's version, warns when it is old, and checks the one --yt-dlp names", async () => {
  // Debian's yt-dlp here is from 2023: platforms have changed since
  const old = await runCli(["--json", "doctor"], { env: { PATH: "/usr/bin:/bin" } });
  const debian = tool(report(old), "yt-dlp");
  assert.match(debian.version ?? "", /^\d{4}\.\d{2}\.\d{2}/);
  assert.match(debian.warning ?? "", /^yt-dlp \S+ is \d+ days old; .*pipx upgrade yt-dlp/);
  assert.ok(report(old).warnings.includes(debian.warning!));
  const human = await runCli(["doctor"], { env: { PATH: "/usr/bin:/bin" } });
  assert.match(human.stdout, /^warn yt-dlp +\d{4}\.\d{2}\.\d{2} .*\n +yt-dlp .* days old/m);
  await withDir(async (dir) => {
    // a stand-in that only answers --version, dated today: no warning
    const today = new Date().toISOString().slice(0, 10).replaceAll("-", ".");
    await Deno.writeTextFile(`${dir}/yt-dlp`, `#!/bin/sh\necho ${today}\n`);
    await Deno.chmod(`${dir}/yt-dlp`, 0o755);
    const fresh = await runCli(["--json", "doctor", "--yt-dlp", `${dir}/yt-dlp`], {
      env: { PATH: "/usr/bin:/bin" },
    });
    const t = tool(report(fresh), "yt-dlp");
    assert.deepEqual([t.path, t.version, t.source, t.warning], [
      `${dir}/yt-dlp`,
      today,
      "configured",
      undefined,
    ]);
  });
});
