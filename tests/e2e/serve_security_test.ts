/**
 * `tgpipe serve` security end to end: signed links from `serve link` work; missing, forged,
 * expired and misapplied signatures are a 403 that is the same whether the message exists;
 * traversal attempts never reach a file; oversized headers and other methods are refused;
 * --max-streams answers 503 with Retry-After; --public refuses a non-loopback address.
 */
import assert from "node:assert/strict";
import { signingKey, signResource } from "../../lib/serve/signed_link.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { accessOf, type ServeProcess, startServe } from "./_serve_helpers.ts";
import { CHAT, type ServeWorld, startServeWorld } from "./_serve_world.ts";

async function _withSigned(
  fn: (w: ServeWorld, s: ServeProcess, env: Record<string, string>) => Promise<void>,
) {
  const w = await startServeWorld();
  try {
    const env = { ...w.botEnv, TGPIPE_DATA_DIR: `${w.dir}/data`, TGPIPE_KV: `${w.dir}/p.kv` };
    const s = await startServe(["--listen", "127.0.0.1:0", "--max-streams", "1", CHAT], env, w.dir);
    try {
      await fn(w, s, env);
    } finally {
      const r = await s.stop();
      assert.equal(r.code, 0, r.stderr);
    }
  } finally {
    await w.close();
  }
}

/** One request over a raw socket, the path exactly as given (fetch would normalise dots). */
async function raw(
  url: string,
  path: string,
  extra = "",
  method = "GET",
): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  const conn = await Deno.connect({ hostname: u.hostname, port: Number(u.port) });
  try {
    const req = `${method} ${path} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n${extra}\r\n`;
    const data = new TextEncoder().encode(req);
    for (let off = 0; off < data.length;) {
      off += await conn.write(data.subarray(off)).catch(() => data.length);
    }
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
    }
    const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
    const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
    return { status: m ? Number(m[1]) : 0, text };
  } finally {
    try {
      conn.close();
    } catch { /* closed by the server */ }
  }
}

async function _key(dataDir: string): Promise<CryptoKey> {
  const hex = (await Deno.readTextFile(`${dataDir}/serve_secret`)).trim();
  return await signingKey(Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16)));
}

Deno.test("serve security: signed links, and 403s that reveal nothing", async () => {
  await _withSigned(async (w, s, env) => {
    const info = await Deno.stat(`${env.TGPIPE_DATA_DIR}/serve_secret`);
    assert.equal(info.mode! & 0o777, 0o600, "the generated secret is 0600");
    const r = await runCli(
      ["--json", "serve", "link", `https://t.me/${CHAT}/${w.clip.id}`, "--base", s.url],
      {
        env,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const link = (r.events.find((e) => e.type === "result") as { data: { url: string } }).data.url;
    assert.match(link, new RegExp(`^${s.url}/f/${CHAT}/${w.clip.id}\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`));
    const ok = await fetch(link);
    assert.equal(ok.status, 200);
    assert.equal((await ok.arrayBuffer()).byteLength, w.clip.bytes.length);
    // the signature covers chat and message, not the decorative name
    const named = link.replace(`/${w.clip.id}?`, `/${w.clip.id}/any%20name.mp4?`);
    const n = await fetch(named, { headers: { Range: "bytes=0-9" } });
    assert.equal(n.status, 206);
    await n.body?.cancel();
    const u = new URL(link);
    const exp = Number(u.searchParams.get("exp"));
    const sig = u.searchParams.get("sig")!;
    const key = await _key(env.TGPIPE_DATA_DIR);
    const expired = await signResource(key, `/${CHAT}/${w.clip.id}`, Math.floor(Date.now() / 1000) - 1);
    const flipped = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
    const forbidden = [
      `/f/${CHAT}/${w.clip.id}`,
      `/f/${CHAT}/${w.clip.id}?exp=${exp}`,
      `/f/${CHAT}/${w.clip.id}?exp=${exp}&sig=${flipped}`,
      `/f/${CHAT}/${w.clip.id}?exp=${exp + 1}&sig=${sig}`,
      `/f/${CHAT}/${w.clip.id}?exp=${expired.exp}&sig=${expired.sig}`,
      `/f/${CHAT}/${w.big.id}?exp=${exp}&sig=${sig}`, // another message
      `/m/${CHAT}/${w.big.id}?exp=${exp}&sig=${sig}`,
      `/f/${CHAT}/999999?exp=${exp}&sig=${sig}`, // no such message: the same answer
      `/f/no_such_chat/1?exp=${exp}&sig=${sig}`,
    ];
    const answers = new Set<string>();
    for (const p of forbidden) {
      const res = await raw(s.url, p);
      assert.equal(res.status, 403, p);
      // the same status line, headers (but Date) and body whatever was asked
      answers.add(res.text.replace(/^date: .*\r\n/im, ""));
    }
    assert.equal(answers.size, 1, [...answers].join("\n---\n"));
    // a valid signature for a message that does not exist is an honest 404
    const gone = await signResource(key, `/${CHAT}/999999`, exp);
    assert.equal((await raw(s.url, `/f/${CHAT}/999999?exp=${gone.exp}&sig=${gone.sig}`)).status, 404);
    assert.ok(
      !s.events.some((e) => e.type === "http_access" && JSON.stringify(e).includes(sig)),
      "no sig logged",
    );
  });
});

Deno.test("serve security: traversal, oversized headers, methods, stream limits", async () => {
  await _withSigned(async (w, s, env) => {
    for (
      const p of [
        "/../../etc/passwd",
        "/f/../../../etc/passwd",
        `/f/${CHAT}/../../../../etc/passwd`,
        "/f/%2e%2e/%2e%2e/etc/passwd",
        `/f/${CHAT}/${w.clip.id}/../../../../etc/passwd`,
        `/f/${CHAT}/${w.clip.id}/..%2f..%2f..%2fetc%2fpasswd/x`,
        "//etc/passwd",
        "/f/%00/1",
        "/etc/passwd",
        "/i/..",
      ]
    ) {
      const res = await raw(s.url, p);
      assert.ok([400, 403, 404].includes(res.status), `${p}: ${res.status}`);
      assert.ok(!res.text.includes("root:"), p);
    }
    // a signed link whose decorative name is a traversal still serves the Telegram file only
    const key = await _key(env.TGPIPE_DATA_DIR);
    const sg = await signResource(key, `/${CHAT}/${w.clip.id}`, Math.floor(Date.now() / 1000) + 600);
    const q = `?exp=${sg.exp}&sig=${sg.sig}`;
    const t = await raw(s.url, `/f/${CHAT}/${w.clip.id}/..%2f..%2fetc%2fpasswd${q}`, "Range: bytes=0-7\r\n");
    assert.equal(t.status, 206);
    assert.ok(!t.text.includes("root:"));
    const big = await raw(s.url, `/f/${CHAT}/${w.clip.id}${q}`, `X-Big: ${"a".repeat(20_000)}\r\n`);
    assert.equal(big.status, 431, "a 20 KB header");
    const huge = await raw(s.url, `/f/${CHAT}/${w.clip.id}${q}`, `X-Huge: ${"a".repeat(1_000_000)}\r\n`);
    assert.ok(huge.status === 0 || huge.status >= 400, `a 1 MB header: ${huge.status}`);
    assert.equal((await raw(s.url, `/f/${CHAT}/${w.clip.id}${q}`, "", "POST")).status, 405);
    assert.equal((await raw(s.url, `/f/${CHAT}/${w.clip.id}${q}`, "", "DELETE")).status, 405);
    // --max-streams 1: a second stream while one is open is a 503 with Retry-After
    const path = `/f/${CHAT}/${w.big.id}`;
    const first = await fetch(
      `${s.url}${path}${q.replace(sg.sig, (await signResource(key, `/${CHAT}/${w.big.id}`, sg.exp)).sig)}`,
    );
    const reader = first.body!.getReader();
    await reader.read();
    const second = await fetch(`${s.url}/f/${CHAT}/${w.clip.id}${q}`);
    assert.equal(second.status, 503);
    assert.equal(second.headers.get("retry-after"), "5");
    await second.body?.cancel();
    await reader.cancel();
    await s.waitFor(
      (e) => e.type === "http_access" && e.path === path,
      "the cancelled stream's access event",
    );
    assert.ok(accessOf(s.events, path)[0].bytes < w.big.bytes.length, "the stream was cut");
    const third = await fetch(`${s.url}/f/${CHAT}/${w.clip.id}${q}`);
    assert.equal(third.status, 200, "the slot came back");
    await third.body?.cancel();
  });
});

Deno.test("serve: --public refuses a non-loopback address without --force", async () => {
  const r = await runCli(["serve", "--public", "--listen", "0.0.0.0:0", "@x"], {});
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--public serves without signatures.*--force/);
  const bad = await runCli(["serve", "--listen", "nonsense"], {});
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--listen must look like/);
});
