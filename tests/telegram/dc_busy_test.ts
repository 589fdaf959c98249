import assert from "node:assert/strict";
import { dcBusy, type DcWatch } from "../../lib/telegram/dc_busy.ts";

const GRACE = 2000;
const watch = (dcAnswers: number, connAnswers = 0, received = 0): DcWatch => ({
  dcAnswers,
  sentAt: 0,
  connAnswers,
  received,
});

Deno.test("dcBusy: a DC silent everywhere while other connections wait is busy, not losing requests", () => {
  const w = watch(5, 3, 100);
  const conn = { answers: 3, received: 100 };
  // nothing answered on the DC since the copy went out, others wait too: wait again
  assert.equal(dcBusy({ answers: 5, firstAnswerAt: 10, othersWaiting: true }, w, conn, 900, GRACE), true);
  // the DC answered meanwhile (elsewhere): the connection's own ledger judges
  assert.equal(dcBusy({ answers: 9, firstAnswerAt: 10, othersWaiting: true }, w, conn, 1800, GRACE), false);
  assert.equal(w.dcAnswers, 9, "the watch follows the checks");
  // silent again since that check: busy again
  assert.equal(dcBusy({ answers: 9, firstAnswerAt: 10, othersWaiting: true }, w, conn, 2700, GRACE), true);
});

Deno.test("dcBusy: a request alone on its DC is judged by its connection", () => {
  assert.equal(
    dcBusy({ answers: 0, othersWaiting: false }, watch(0), { answers: 0, received: 0 }, 5000, GRACE),
    false,
  );
});

Deno.test("dcBusy: a new connection's grace counts from the DC's first answer", () => {
  // sent at 0; the DC's first answer (elsewhere) came at 3000
  const w = watch(0);
  const conn = { answers: 0, received: 0 };
  assert.equal(dcBusy({ answers: 0, othersWaiting: true }, w, conn, 2500, GRACE), true, "DC never answered");
  assert.equal(dcBusy({ answers: 4, firstAnswerAt: 3000, othersWaiting: true }, w, conn, 3500, GRACE), true);
  assert.equal(dcBusy({ answers: 8, firstAnswerAt: 3000, othersWaiting: true }, w, conn, 5100, GRACE), false);
  // a connection that answered before is not new: the ledger judges once the DC answers elsewhere
  const v = watch(0, 1);
  assert.equal(
    dcBusy(
      { answers: 4, firstAnswerAt: 3000, othersWaiting: true },
      v,
      { answers: 1, received: 0 },
      3500,
      GRACE,
    ),
    false,
  );
});

Deno.test("dcBusy: bytes coming in on the connection without a whole answer are a big answer on its way", () => {
  // the DC answers elsewhere, this connection answered before: without bytes it is the ledger's call
  const w = watch(4, 2, 5000);
  const dc = (answers: number) => ({ answers, firstAnswerAt: 10, othersWaiting: true });
  assert.equal(dcBusy(dc(6), w, { answers: 2, received: 70_000 }, 3000, GRACE), true, "mid-answer");
  assert.equal(dcBusy(dc(8), w, { answers: 2, received: 70_000 }, 3600, GRACE), false, "no bytes since");
  // a whole answer came meanwhile: the ledger tells a skipped request (a lost one) from its queue
  assert.equal(dcBusy(dc(9), w, { answers: 3, received: 1_200_000 }, 4200, GRACE), false);
  // alone on its DC too
  const x = watch(0, 0, 0);
  assert.equal(
    dcBusy({ answers: 0, othersWaiting: false }, x, { answers: 0, received: 8000 }, 2000, GRACE),
    true,
  );
});

Deno.test("dcBusy: a DC silent check after check holds a copy back only a few times (its requests may all be lost)", () => {
  // every request in flight on the DC lost or stalled: it stays silent; before, no copy went out until
  // the stall timeout (bench faults, download seed 22: 27.6 s against 5.3 s)
  const w = watch(5, 3, 100);
  const dc = { answers: 5, firstAnswerAt: 10, othersWaiting: true };
  const conn = { answers: 3, received: 100 };
  const verdicts = Array.from({ length: 6 }, (_, i) => dcBusy(dc, w, conn, 1000 * (i + 1), GRACE));
  assert.deepEqual(verdicts, [true, true, true, false, false, false]);
  // an answer anywhere on the DC starts the count again
  assert.equal(dcBusy({ ...dc, answers: 6 }, w, conn, 7000, GRACE), false);
  assert.equal(dcBusy({ ...dc, answers: 6 }, w, conn, 8000, GRACE), true);
});

Deno.test("dcBusy: the server's acks and pongs alone are not an answer on its way", () => {
  // a stalled part's connection still receives small service messages: they do not hold the copy
  const w = watch(4, 2, 5000);
  const dc = { answers: 6, firstAnswerAt: 10, othersWaiting: true };
  assert.equal(dcBusy(dc, w, { answers: 2, received: 5000 + 56 }, 3000, GRACE), false, "an ack");
  assert.equal(dcBusy(dc, w, { answers: 2, received: 5056 + 64 * 1024 }, 3600, GRACE), true, "a part coming");
});
