import assert from "node:assert/strict";
import { login, post, withAdmin } from "./_admin_helpers.ts";

async function text(res: Response): Promise<string> {
  return await res.text();
}

Deno.test("admin page: nothing without a login (401), a login link works once and sets a strict HttpOnly cookie", async () => {
  await withAdmin(async (f) => {
    for (const path of ["/", "/users", "/settings", "/broadcasts", "/history"]) {
      const res = await fetch(`${f.server.url}${path}`, { redirect: "manual" });
      assert.equal(res.status, 401, path);
      assert.match(await text(res), /Login needed/);
    }
    const forged = await fetch(`${f.server.url}/users`, { headers: { cookie: "tgpipe_admin=forged" } });
    assert.equal(forged.status, 401);
    await forged.body?.cancel();
    const wrong = await fetch(`${f.server.url}/login?t=not-a-token`, { redirect: "manual" });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const link = await f.server.loginLink();
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/login\?t=[\w-]{43}$/);
    const ok = await fetch(link, { redirect: "manual" });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /<meta http-equiv="refresh" content="0;url=\/users">/);
    const cookie = ok.headers.get("set-cookie") ?? "";
    assert.match(cookie, /^tgpipe_admin=[\w-]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
    const again = await fetch(link, { redirect: "manual" });
    assert.equal(again.status, 401, "a login link works once");
    await again.body?.cancel();
    const page = await fetch(`${f.server.url}/users`, { headers: { cookie: cookie.split(";")[0] } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    await page.body?.cancel();
  });
});

Deno.test("admin page: login links and sessions expire", async () => {
  await withAdmin(async (f) => {
    const link = await f.server.loginLink();
    f.clock.t += 16 * 60_000;
    const late = await fetch(link, { redirect: "manual" });
    assert.equal(late.status, 401);
    await late.body?.cancel();
    const { cookie } = await login(f);
    f.clock.t += 13 * 3_600_000;
    const res = await fetch(`${f.server.url}/users`, { headers: { cookie } });
    assert.equal(res.status, 401);
    assert.match(await text(res), /session has expired/);
  });
});

Deno.test("admin page: a POST without the session's CSRF token, or from another origin, changes nothing (403)", async () => {
  await withAdmin(async (f) => {
    await f.store.users.seen({ id: "55", username: "mallory" });
    const { cookie, csrf } = await login(f);
    assert.ok(csrf.length > 20);
    const cases: Array<[Record<string, string>, Record<string, string>]> = [
      [{ on: "1" }, { cookie }],
      [{ on: "1", csrf: "wrong" }, { cookie }],
      [{ on: "1", csrf }, { cookie, origin: "http://evil.example" }],
    ];
    for (const [fields, headers] of cases) {
      const res = await post(f, "/users/55/ban", fields, headers);
      assert.equal(res.status, 403, JSON.stringify(fields));
      await res.body?.cancel();
    }
    const noCookie = await post(f, "/users/55/ban", { on: "1", csrf });
    assert.equal(noCookie.status, 401);
    await noCookie.body?.cancel();
    assert.equal((await f.store.users.get("55"))?.banned, false);
    const ok = await post(f, "/users/55/ban", { on: "1", csrf }, { cookie, origin: f.server.url });
    assert.equal(ok.status, 303);
    await ok.body?.cancel();
    assert.equal((await f.store.users.get("55"))?.banned, true);
  });
});

Deno.test("admin page: user-provided text is escaped and javascript: links are not links", async () => {
  await withAdmin(async (f) => {
    await f.store.users.seen({
      id: "66",
      username: "<script>alert(1)</script>",
      first_name: `"><img src=x onerror=alert(2)>`,
    });
    const d = await f.store.downloads.create({
      user_id: "66",
      url: "javascript:alert(3)",
      platform: "<i>p</i>",
    });
    await f.store.downloads.update(d.id, { status: "failed", title: "<b>t</b>", error: "<u>e</u>" });
    await f.store.recognitions.log({ user_id: "66", kind: "voice", title: "<svg onload=x>", artist: "A&B" });
    await f.store.broadcasts.create({ text: "<script>bc()</script>", by: "cli" });
    const { cookie } = await login(f);
    const pages: string[] = [];
    for (const path of ["/users?q=%3Cscript", "/history", "/recognitions", "/broadcasts", "/users"]) {
      const res = await fetch(`${f.server.url}${path}`, { headers: { cookie } });
      assert.equal(res.status, 200, path);
      pages.push(await text(res));
    }
    const all = pages.join("\n");
    for (
      const bad of ["<script>alert", "<img src=x", "<b>t</b>", "<u>e</u>", "<svg", "<i>p</i>", "<script>bc"]
    ) {
      assert.ok(!all.includes(bad), `unescaped ${bad}`);
    }
    assert.ok(all.includes("&#60;script&#62;alert(1)&#60;/script&#62;"), "the username shows as text");
    assert.ok(all.includes("A&#38;B"));
    assert.ok(!/href="javascript:/i.test(all), "no javascript: link");
  });
});

Deno.test("admin page: the settings form saves, refuses bad numbers (400), queues and cancels broadcasts", async () => {
  await withAdmin(async (f) => {
    const { cookie, csrf } = await login(f);
    const form = {
      csrf,
      enabled: "1",
      rate_limit_per_minute: "7",
      premium_rate_limit_per_minute: "30",
      max_file_size_mib: "20",
      premium_max_file_size_mib: "1000",
      maintenance_message: "Back at six",
    };
    const ok = await post(f, "/settings", form, { cookie });
    assert.equal(ok.status, 303);
    await ok.body?.cancel();
    const s = await f.store.settings.get();
    assert.equal(s.rate_limit_per_minute, 7);
    assert.equal(s.max_file_size, 20 * 1024 * 1024);
    assert.equal(s.maintenance_message, "Back at six");
    const bad = await post(f, "/settings", { ...form, rate_limit_per_minute: "0" }, { cookie });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
    const off = await post(f, "/settings", { ...form, enabled: "", maintenance_message: "" }, { cookie });
    await off.body?.cancel();
    assert.equal((await f.store.settings.get()).enabled, false);
    assert.equal((await f.store.settings.get()).maintenance_message, undefined);
    const empty = await post(f, "/broadcasts", { csrf, text: " " }, { cookie });
    assert.equal(empty.status, 400);
    await empty.body?.cancel();
    const missing = await post(f, "/broadcasts", { csrf, text: "x", media_path: "/no/such/file" }, {
      cookie,
    });
    assert.equal(missing.status, 400);
    await missing.body?.cancel();
    const queued = await post(f, "/broadcasts", { csrf, text: "Hello" }, { cookie });
    assert.equal(queued.status, 303);
    await queued.body?.cancel();
    assert.equal((await f.store.broadcasts.next())?.text, "Hello");
    const page = await (await fetch(`${f.server.url}/broadcasts?ok=broadcast`, { headers: { cookie } }))
      .text();
    assert.match(page, /Broadcast queued/);
    assert.match(page, /http-equiv="refresh"/, "the page follows the progress while one is queued");
    const id = (await f.store.broadcasts.next())!.id;
    const cancel = await post(f, `/broadcasts/${id}/cancel`, { csrf }, { cookie });
    assert.equal(cancel.status, 303);
    await cancel.body?.cancel();
    assert.equal((await f.store.broadcasts.get(id))?.status, "cancelled");
    const after = await (await fetch(`${f.server.url}/broadcasts`, { headers: { cookie } })).text();
    assert.doesNotMatch(after, /http-equiv="refresh"/, "nothing left to follow");
    assert.doesNotMatch(after, /\/cancel"/, "no cancel button on a cancelled broadcast");
  });
});

Deno.test("admin page: logging out ends the session on the server, not only in the browser", async () => {
  await withAdmin(async (f) => {
    const { cookie, csrf } = await login(f);
    const out = await post(f, "/logout", { csrf }, { cookie });
    assert.equal(out.status, 200);
    assert.match(out.headers.get("set-cookie") ?? "", /^tgpipe_admin=; .*Max-Age=0$/);
    await out.body?.cancel();
    const res = await fetch(`${f.server.url}/users`, { headers: { cookie } });
    assert.equal(res.status, 401, "the old cookie no longer works");
    await res.body?.cancel();
  });
});
