import assert from "node:assert/strict";
import { runTool } from "../../lib/tools/run_tool.ts";
import type { ResolvedTool } from "../../lib/tools/tool_types.ts";
import { ToolFailedError, ToolMissingError } from "../../lib/core/errors.ts";

// Plain coreutils stand in for the media tools: the wrapper must not care what it runs.
function tool(path: string): ResolvedTool {
  return { name: "ffmpeg", path, source: "path" };
}
const sh = tool("/bin/sh");
const sleep = tool("/bin/sleep");

function alive(pid: number): boolean {
  try {
    return !Deno.readTextFileSync(`/proc/${pid}/stat`).split(" ")[2].startsWith("Z");
  } catch {
    return false;
  }
}

Deno.test("runTool collects stdout and returns code 0", async () => {
  const r = await runTool(tool("/bin/echo"), ["hello", "world"]);
  assert.equal(r.code, 0);
  assert.equal(new TextDecoder().decode(r.stdout), "hello world\n");
  assert.ok(r.elapsedMs >= 0);
});

Deno.test("runTool passes arguments verbatim, never through a shell", async () => {
  const tricky = ["$(touch /tmp/pwned)", "a; echo injected", "`id`", "*", "'q\"", "x > y", ""];
  const r = await runTool(tool("/usr/bin/printf"), ["%s\\n", ...tricky]);
  assert.deepEqual(new TextDecoder().decode(r.stdout).split("\n").slice(0, -1), tricky);
});

Deno.test("runTool throws ToolFailedError with the stderr tail on non-zero exit", async () => {
  try {
    await runTool(sh, ["-c", "echo boom >&2; exit 3"]);
    assert.fail("should throw");
  } catch (e) {
    assert.ok(e instanceof ToolFailedError);
    assert.equal(e.status, 3);
    assert.equal(e.tool, "ffmpeg");
    assert.equal(e.stderrTail, "boom\n");
    assert.match(e.message, /^ffmpeg exited with code 3: boom$/);
    assert.equal(e.data.stderr_tail, "boom\n");
  }
});

Deno.test("runTool keeps only the last ~4 KB of a large stderr", async () => {
  // 200 000 bytes of "x" then a marker: only the tail, ending with the marker, is kept.
  const r = await runTool(sh, ["-c", "head -c 200000 /dev/zero | tr '\\0' x >&2; echo END >&2"]);
  assert.equal(r.stderrTail.length, 4096);
  assert.ok(r.stderrTail.endsWith("xxEND\n"));
});

Deno.test("runTool feeds stdin and can discard stdout", async () => {
  const r = await runTool(tool("/bin/cat"), [], { stdin: new TextEncoder().encode("piped in") });
  assert.equal(new TextDecoder().decode(r.stdout), "piped in");
  const d = await runTool(tool("/bin/echo"), ["dropped"], { stdout: "discard" });
  assert.equal(d.stdout.length, 0);
});

Deno.test("runTool passes cwd and env", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await runTool(sh, ["-c", 'printf "%s|%s" "$PWD" "$TGPIPE_TEST_VAR"'], {
      cwd: dir,
      env: { TGPIPE_TEST_VAR: "v1" },
    });
    assert.equal(new TextDecoder().decode(r.stdout), `${await Deno.realPath(dir)}|v1`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runTool kills the process on timeout", async () => {
  const t0 = performance.now();
  try {
    await runTool(sleep, ["30"], { timeoutMs: 200 });
    assert.fail("should throw");
  } catch (e) {
    assert.ok(e instanceof ToolFailedError);
    assert.match(e.message, /timed out after 0\.2s/);
    assert.equal(e.status, null);
  }
  assert.ok(performance.now() - t0 < 5000);
});

Deno.test("runTool escalates to SIGKILL when SIGTERM is ignored", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pidFile = `${dir}/pid`;
    const t0 = performance.now();
    await assert.rejects(
      runTool(sh, ["-c", `trap '' TERM; echo $$ > ${pidFile}; while :; do sleep 0.05; done`], {
        timeoutMs: 300,
      }),
      /timed out after 0\.3s/,
    );
    assert.ok(performance.now() - t0 < 5000);
    assert.equal(alive(Number(await Deno.readTextFile(pidFile))), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runTool kills the process on abort and rethrows the signal's reason", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pidFile = `${dir}/pid`;
    const ac = new AbortController();
    const reason = new Error("user stopped");
    const run = runTool(sh, ["-c", `echo $$ > ${pidFile}; exec sleep 30`], { signal: ac.signal });
    while ((await Deno.readTextFile(pidFile).catch(() => "")).trim() === "") {
      await new Promise((r) => setTimeout(r, 20));
    }
    const pid = Number(await Deno.readTextFile(pidFile));
    assert.equal(alive(pid), true);
    const t0 = performance.now();
    ac.abort(reason);
    await assert.rejects(run, (e) => e === reason);
    assert.ok(performance.now() - t0 < 3000);
    assert.equal(alive(pid), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runTool does not start when the signal is already aborted", async () => {
  const reason = new Error("already");
  await assert.rejects(runTool(sleep, ["30"], { signal: AbortSignal.abort(reason) }), (e) => e === reason);
});

Deno.test("runTool fails when stdout exceeds maxStdoutBytes", async () => {
  await assert.rejects(
    runTool(tool("/usr/bin/head"), ["-c", "100000", "/dev/zero"], { maxStdoutBytes: 1000 }),
    /wrote more than 1000 bytes to stdout/,
  );
});

Deno.test("runTool maps a vanished binary to ToolMissingError", async () => {
  await assert.rejects(runTool(tool("/nonexistent/ffmpeg"), ["-version"]), ToolMissingError);
});

Deno.test("runTool rejects non-string arguments", async () => {
  await assert.rejects(runTool(sh, [1 as unknown as string]), TypeError);
});

Deno.test("runTool hands every stdout and stderr line to onLine as it comes, and keeps the stderr tail", async () => {
  const seen: string[] = [];
  // a line split over two writes, a CRLF line, and a last line without its newline
  const script = "printf 'one\\ntw'; printf 'o\\r\\n'; echo err >&2; printf 'last'";
  const r = await runTool(sh, ["-c", script], { onLine: (l, s) => seen.push(`${s}:${l}`) });
  assert.deepEqual(seen.filter((l) => l.startsWith("stdout:")), ["stdout:one", "stdout:two", "stdout:last"]);
  assert.deepEqual(seen.filter((l) => l.startsWith("stderr:")), ["stderr:err"]);
  assert.equal(r.stdout.length, 0);
  assert.equal(r.stderrTail, "err\n");
});

Deno.test("runTool pipes a stdin stream; a stream that errors kills the tool and rejects with its error", async () => {
  const chunks = ["one ", "two ", "three"];
  const ok = await runTool(tool("/bin/cat"), [], {
    stdin: ReadableStream.from(chunks.map((c) => new TextEncoder().encode(c))),
  });
  assert.equal(new TextDecoder().decode(ok.stdout), "one two three");
  // `wc -c` would print a count for a short input as if it were whole: it must not get to
  let sent = 0;
  const broken = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent++ < 3) c.enqueue(new Uint8Array(1000));
      else c.error(new Error("the source broke"));
    },
  });
  await assert.rejects(runTool(tool("/usr/bin/wc"), ["-c"], { stdin: broken }), /the source broke/);
});

Deno.test("runTool hands each stderr line to onStderrLine as it comes, and still keeps the tail", async () => {
  const lines: string[] = [];
  const r = await runTool(sh, ["-c", "printf 'one\\ntwo\\r\\nthree' >&2"], {
    onStderrLine: (l) => lines.push(l),
  });
  assert.deepEqual(lines, ["one", "two", "three"]);
  assert.match(r.stderrTail, /three$/);
});
