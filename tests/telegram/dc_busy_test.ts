import assert from "node:assert/strict";
import { dcBusy, type DcWatch } from "../../lib/telegram/dc_busy.ts";

const GRACE = 2000;

Deno.test("dcBusy: a DC silent everywhere while other connections wait is busy, not losing requests", () => {
  const w: DcWatch = { dcAnswers: 5, sentAt: 0 };
  // nothing answered on the DC since the copy went out, others wait too: wait again
  assert.equal(dcBusy({ answers: 5, firstAnswerAt: 10, othersWaiting: true }, w, 3, 900, GRACE), true);
  // the DC answered meanwhile (elsewhere): the connection's own ledger judges
  assert.equal(dcBusy({ answers: 9, firstAnswerAt: 10, othersWaiting: true }, w, 3, 1800, GRACE), false);
  assert.equal(w.dcAnswers, 9, "the watch follows the checks");
  // silent again since that check: busy again
  assert.equal(dcBusy({ answers: 9, firstAnswerAt: 10, othersWaiting: true }, w, 3, 2700, GRACE), true);
});

Deno.test("dcBusy: a request alone on its DC is judged by its connection", () => {
  const w: DcWatch = { dcAnswers: 0, sentAt: 0 };
  assert.equal(dcBusy({ answers: 0, othersWaiting: false }, w, 0, 5000, GRACE), false);
});

Deno.test("dcBusy: a new connection's grace counts from the DC's first answer", () => {
  // sent at 0; the DC's first answer (elsewhere) came at 3000
  const w: DcWatch = { dcAnswers: 0, sentAt: 0 };
  assert.equal(dcBusy({ answers: 0, othersWaiting: true }, w, 0, 2500, GRACE), true, "DC never answered");
  assert.equal(dcBusy({ answers: 4, firstAnswerAt: 3000, othersWaiting: true }, w, 0, 3500, GRACE), true);
  assert.equal(dcBusy({ answers: 8, firstAnswerAt: 3000, othersWaiting: true }, w, 0, 5100, GRACE), false);
  // a connection that answered before is not new: the ledger judges once the DC answers elsewhere
  const v: DcWatch = { dcAnswers: 0, sentAt: 0 };
  assert.equal(dcBusy({ answers: 4, firstAnswerAt: 3000, othersWaiting: true }, v, 1, 3500, GRACE), false);
});
