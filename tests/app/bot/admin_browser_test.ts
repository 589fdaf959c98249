/**
 * The admin page in a real browser: headless Chromium opens the one-time login link, searches a
 * user, bans them and queues a broadcast by clicking the page's own forms (no JavaScript of the
 * page: DevTools fills fields and clicks buttons as a person would). Then the store has changed,
 * and so does the bot: the banned user gets the one ban notice, the broadcast reaches the others.
 */
import assert from "node:assert/strict";
import { launchChromium, step } from "../../_helpers/chromium.ts";
import {
  broadcastFromPage,
  clickUserButton,
  openLoginLink,
  searchUsers,
  withAdmin,
} from "./_admin_helpers.ts";
import { checkRequest } from "../../../lib/app/bot/check_request.ts";
import { sendQueuedBroadcasts } from "../../../lib/app/bot/broadcast_sender.ts";
import { StrictBotApi } from "./_strict_bot_api.ts";

Deno.test("admin page in Chromium: log in, search, ban, broadcast; the bot follows", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await withAdmin(async (f) => {
      await f.store.users.seen({ id: "11", username: "alice", first_name: "Alice" });
      await f.store.users.seen({ id: "22", username: "bobby", first_name: "Bob" });
      await f.store.users.seen({ id: "33", username: "bo<script>x</script>", first_name: "Eve" });
      const browser = await launchChromium(dir);
      try {
        const tab = await browser.newTab();
        assert.equal(await openLoginLink(tab, await f.server.loginLink()), "/users", "the login went on");
        assert.equal(await tab.evaluate(`document.querySelector("h1").textContent`), "Users", "logged in");
        assert.equal(await tab.evaluate("document.cookie"), "", "the session cookie is HttpOnly");
        assert.deepEqual(await searchUsers(tab, "bob"), ["22"], "the search found bobby only");
        assert.match(await clickUserButton(tab, "22", "ban"), /User banned/);
        assert.equal((await f.store.users.get("22"))?.banned, true, "the store has the ban");
        await tab.goto(`${f.server.url}/users`);
        const eve = await tab.evaluate(
          `document.querySelector('tr[data-user="33"] td:nth-child(2)').textContent`,
        );
        assert.equal(eve, "@bo<script>x</script>", "the username shows as text, not markup");
        const listed = await broadcastFromPage(tab, f.server.url, "Maintenance tonight");
        assert.match(listed, /queued[\s\S]*Maintenance tonight/);
      } finally {
        await step("closing chromium", browser.close());
      }
      const queued = await f.store.broadcasts.next();
      assert.equal(queued?.text, "Maintenance tonight");
      assert.equal(queued?.by, "admin page");
      const banned = await checkRequest(f.store, { id: "22", username: "bobby" });
      assert.equal(banned.admission.kind, "banned");
      const api = new StrictBotApi();
      const [report] = await sendQueuedBroadcasts(api, f.store, { signal: new AbortController().signal });
      assert.deepEqual([...api.countByChat().keys()].sort(), ["11", "33"]);
      assert.equal(report.sent, 2);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
