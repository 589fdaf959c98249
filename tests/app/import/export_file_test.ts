import assert from "node:assert/strict";
import { exportFile } from "../../../lib/app/import/export_file.ts";
import { runCli } from "../../_helpers/run_cli.ts";

/** An export folder whose files/ hold a real file and every way out of the export. */
async function _hostileExport(root: string): Promise<{ dir: string; secret: string }> {
  const dir = `${root}/export`;
  const outside = `${root}/outside`;
  await Deno.mkdir(`${dir}/files`, { recursive: true });
  await Deno.mkdir(outside);
  const secret = "TOP-SECRET-CONTENT-8f2c";
  await Deno.writeTextFile(`${outside}/secret.txt`, secret);
  await Deno.writeTextFile(`${outside}/passwd`, secret);
  await Deno.writeTextFile(`${dir}/files/real.txt`, "fine");
  await Deno.symlink(`${outside}/secret.txt`, `${dir}/files/link.txt`);
  await Deno.symlink(outside, `${dir}/files/etcdir`);
  await Deno.link(`${outside}/secret.txt`, `${dir}/files/hard.txt`);
  const fifo = await new Deno.Command("mkfifo", { args: [`${dir}/files/pipe`] }).output();
  assert.ok(fifo.success);
  return { dir, secret };
}

const REFS = [
  "files/link.txt",
  "files/etcdir/passwd",
  "files/hard.txt",
  "files/pipe",
  "../outside/secret.txt",
];

Deno.test("exportFile takes regular files inside the export and refuses links, devices and escapes", async () => {
  const root = await Deno.makeTempDir();
  try {
    const { dir } = await _hostileExport(root);
    const ok = await exportFile(dir, "files/real.txt");
    assert.ok("path" in ok && ok.path.endsWith("/export/files/real.txt"));
    assert.deepEqual(await exportFile(dir, "files/none.txt"), { missing: true });
    for (const ref of REFS) {
      const r = await exportFile(dir, ref);
      assert.ok("refused" in r, `${ref}: ${JSON.stringify(r)}`);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("import tdesktop copies nothing from outside the export and warns once per refused file", async () => {
  const root = await Deno.makeTempDir();
  try {
    const { dir, secret } = await _hostileExport(root);
    const refs = ["files/real.txt", ...REFS];
    const messages = refs.map((ref, i) => ({
      id: i + 1,
      type: "message",
      date: "2024-01-01T10:00:00",
      date_unixtime: String(1704103200 + i),
      from: "a",
      from_id: "user1",
      file: ref,
      mime_type: "text/plain",
      text: `m${i}`,
    }));
    await Deno.writeTextFile(
      `${dir}/result.json`,
      JSON.stringify({ name: "c", type: "personal_chat", id: 42, messages }),
    );
    const r = await runCli(["--json", "import", "tdesktop", dir, "--out", `${root}/out`]);
    assert.equal(r.code, 0, r.stderr);
    const warnings = r.events.filter((e) => e.type === "warning" && e.code === "UNSAFE_PATH");
    assert.equal(warnings.length, REFS.length, JSON.stringify(warnings));
    const copied: string[] = [];
    const walk = async (d: string) => {
      for await (const e of Deno.readDir(d)) {
        if (e.isDirectory) await walk(`${d}/${e.name}`);
        else copied.push(await Deno.readTextFile(`${d}/${e.name}`));
      }
    };
    await walk(`${root}/out`);
    assert.ok(copied.includes("fine"), "the real file was copied");
    assert.equal(copied.some((t) => t.includes(secret)), false, "nothing from outside the export");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
