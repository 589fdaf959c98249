import assert from "node:assert/strict";
import { SenderLedger } from "../../lib/telegram/sender_ledger.ts";

const GET = "upload.GetFile", HASH = "upload.GetFileHashes";

Deno.test("SenderLedger: a request behind earlier ones still answered in turn waits; at the head, once more", () => {
  const l = new SenderLedger();
  const a = l.send(0), b = l.send(0), c = l.send(0);
  l.answer(a.seq, GET);
  assert.equal(l.looksLost(c, GET, 1000), false, "b is still ahead of c: the queue drains");
  assert.equal(l.looksLost(b, GET, 1000), false, "b is at the head now: its answer may be on its way");
  l.answer(b.seq, GET);
  assert.equal(l.looksLost(c, GET, 2000), false);
  assert.equal(l.looksLost(c, GET, 3000), true, "no answer since the last check: lost");
});

Deno.test("SenderLedger: a part skipped while the connection answers later hash requests looks lost", () => {
  // before, only a later answer of the same method counted: a lost part on a connection that kept
  // answering other files' hash requests was never copied
  const l = new SenderLedger();
  const part = l.send(0);
  const hash = l.send(0);
  l.answer(hash.seq, HASH);
  assert.equal(l.looksLost(part, GET, 1000), true);
});

Deno.test("SenderLedger: a later answer of the same method, or silence, means lost; a new connection gets its grace", () => {
  const l = new SenderLedger();
  const a = l.send(0);
  assert.equal(l.looksLost(a, GET, 500, 2000), false, "silent, but never answered yet: within the grace");
  assert.equal(l.looksLost(a, GET, 2500, 2000), true, "silent past the grace");
  const l2 = new SenderLedger();
  l2.send(0);
  const y = l2.send(0), z = l2.send(0);
  l2.answer(z.seq, GET);
  assert.equal(l2.looksLost(y, GET, 100), true, "z, sent after y, was answered");
});

Deno.test("SenderLedger: a copy taken for lost, or whose call is over, no longer holds up the requests behind it", () => {
  const l = new SenderLedger();
  const a = l.send(0), b = l.send(0);
  l.answer(l.send(0).seq, HASH);
  assert.equal(l.looksLost(b, GET, 100), false, "a is ahead of b");
  assert.equal(l.looksLost(a, GET, 100), true);
  l.answer(l.send(0).seq, HASH);
  assert.equal(l.looksLost(b, GET, 200), true, "a, taken for lost, is no longer ahead");

  const m = new SenderLedger();
  const p = m.send(0), q = m.send(0);
  m.answer(m.send(0).seq, HASH);
  assert.equal(m.looksLost(q, GET, 100), false, "p is ahead of q");
  m.forget(p.seq); // p's call was answered by a copy elsewhere
  m.answer(m.send(0).seq, HASH);
  assert.equal(m.looksLost(q, GET, 200), true);
});

Deno.test("SenderLedger.transferStart: an answer that waited behind others transferred from the previous answer", () => {
  // three 1 MB parts sent at once, answered one after another each 1 s: each transferred in 1 s,
  // not in 1, 2 and 3 s (timed from the send, the queue taught a rate 3 times too low)
  const l = new SenderLedger();
  assert.equal(l.transferStart(0, 1000), 0, "the first answer: from its send");
  assert.equal(l.transferStart(0, 2000), 1000, "queued behind the first: from the first's answer");
  assert.equal(l.transferStart(0, 3000), 2000);
  assert.equal(l.transferStart(5000, 5100), 5000, "sent after the last answer: from its send");
});
