import assert from "node:assert/strict";
import { mainCopyLost } from "../../lib/telegram/main_copy_watch.ts";
import { SenderLedger } from "../../lib/telegram/sender_ledger.ts";

const PAGE = "messages.GetHistory";

Deno.test("mainCopyLost: pages whose answers wait behind the first one's are not copied", () => {
  // a fault-free export: seven pages sent at once, the first answered, the rest still in the
  // pipeline when their timers pass (this thread was rendering the first page's notes)
  const ledger = new SenderLedger();
  const pages = Array.from({ length: 7 }, () => ledger.send(0));
  ledger.answer(pages[0].seq, PAGE);
  for (const w of pages.slice(1)) {
    assert.equal(mainCopyLost(w, PAGE, { reconnecting: false, ledger, now: 500 }), false, `page ${w.seq}`);
  }
  // and once the next one is answered, the ones behind it still wait their turn
  ledger.answer(pages[1].seq, PAGE);
  assert.equal(mainCopyLost(pages[3], PAGE, { reconnecting: false, ledger, now: 900 }), false);
});

Deno.test("mainCopyLost: a page skipped while later ones are answered, or a silent connection, is copied", () => {
  const ledger = new SenderLedger();
  const a = ledger.send(0), b = ledger.send(0);
  ledger.answer(b.seq, PAGE);
  assert.equal(
    mainCopyLost(a, PAGE, { reconnecting: false, ledger, now: 500 }),
    true,
    "b, sent after a, was answered",
  );
  const lone = ledger.send(600);
  assert.equal(
    mainCopyLost(lone, PAGE, { reconnecting: false, ledger, now: 1000 }),
    true,
    "nothing answered since",
  );
  assert.equal(
    mainCopyLost(undefined, PAGE, { reconnecting: false, ledger, now: 1000 }),
    true,
    "no copy out yet",
  );
});

Deno.test("mainCopyLost: nothing is copied while the connection is opened again; after, a lost one is", () => {
  const ledger = new SenderLedger();
  const a = ledger.send(0);
  // GramJS sends `a` again on the new connection itself: a copy now would be a second one
  assert.equal(mainCopyLost(a, PAGE, { reconnecting: true, ledger, now: 500 }), false);
  assert.equal(mainCopyLost(a, PAGE, { reconnecting: true, ledger, now: 5000 }), false);
  assert.equal(
    mainCopyLost(a, PAGE, { reconnecting: false, ledger, now: 5400 }),
    true,
    "connected, still silent",
  );
});
