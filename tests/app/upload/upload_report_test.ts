import assert from "node:assert/strict";
import { LoginRequiredError, TelegramError, TgpipeError } from "../../../lib/core/errors.ts";
import { TooBigError } from "../../../lib/engine/upload_plan.ts";
import { SourceError } from "../../../lib/engine/upload_part_reader.ts";
import { PartStallError } from "../../../lib/engine/upload_lane.ts";
import {
  SourceConnectionError,
  SourceCorruptError,
  SourceHttpError,
  SourceNotResumableError,
} from "../../../lib/engine/source_errors.ts";
import { ERROR_CATEGORIES, errorCategory } from "../../../lib/app/upload/error_category.ts";
import {
  describeUploadReport,
  UploadDiagnostics,
  type UploadReport,
} from "../../../lib/app/upload/upload_report.ts";

const JOB = {
  job: "upload-1",
  resumed: false,
  items: 6,
  done: 3,
  skipped: 1,
  failed: 2,
  partial: 0,
  bytes: 3000,
  elapsed_ms: 2000,
  exit_code: 3 as const,
};

function _report(): UploadReport {
  const d = new UploadDiagnostics();
  const base = { source: "/x", attempts: 1 };
  for (const [i, ms] of [100, 300, 200].entries()) {
    d.record({
      ...base,
      item: `file:/f${i}`,
      name: `f${i}`,
      outcome: "done",
      bytes: 1000,
      ms,
      resumed_parts: i,
      message_ids: [i],
    });
  }
  d.record({
    ...base,
    item: "file:/dup",
    name: "dup",
    outcome: "duplicate",
    bytes: 10,
    ms: 5,
    message_ids: [],
  });
  d.failed({ ...base, item: "file:/big", name: "big", bytes: 0, ms: 1 }, new TooBigError(5, 4));
  d.failed(
    { ...base, item: "file:/ch", name: "ch", bytes: 0, ms: 1, attempts: 3 },
    new TelegramError(403, "CHAT_WRITE_FORBIDDEN"),
  );
  d.skipped([{ id: "file:/old", name: "old", bytes: 7 }, { id: "file:/f0" }]);
  return d.report(JOB, "me", 2 * (1 << 20));
}

Deno.test("upload report: counts, success rate, mean and p95 time, MB/s, categories and their advice", () => {
  const r = _report();
  assert.equal(r.success_rate, 0.6667);
  assert.deepEqual(r.upload_ms, { mean: 200, p95: 300 });
  assert.equal(r.mb_per_s, 1);
  assert.equal(r.categories.too_big, 1);
  assert.equal(r.categories.forbidden, 1);
  assert.equal(Object.values(r.categories).reduce((a, b) => a + b, 0), 2);
  assert.equal(r.advice.length, 2);
  assert.match(r.advice.join("\n"), /--split/);
  assert.match(r.advice.join("\n"), /--to/);
  assert.deepEqual(r.files.map((f) => f.outcome), [
    "done",
    "done",
    "done",
    "duplicate",
    "failed",
    "failed",
    "skipped",
  ]);
  const text = describeUploadReport(r);
  assert.match(text, /66\.7% success/);
  assert.match(text, /Failures: too_big 1, forbidden 1/);
  assert.match(text, /mean 0\.2s, p95 0\.3s/);
});

Deno.test("upload report: every error lands in its category", () => {
  const cases: Array<[unknown, string]> = [
    [new TelegramError(420, "FLOOD_WAIT_30"), "flood"],
    [new TelegramError(400, "SLOWMODE_WAIT_10"), "rate_limit"],
    [new TelegramError(400, "MD5_CHECKSUM_INVALID"), "corruption"],
    [new TelegramError(400, "FILE_PART_3_MISSING"), "corruption"],
    [new LoginRequiredError("x"), "auth"],
    [new TelegramError(-503, "TIMEOUT"), "connection"],
    [new PartStallError(1, 5), "connection"],
    [new TelegramError(500, "INTERNAL"), "connection"],
    [new SourceError("gone"), "source"],
    [new SourceHttpError("http://o/a", 404), "source"],
    [new SourceNotResumableError("again", "stdin"), "source"],
    [new SourceConnectionError("dropped", { origin: "http://o/a", reason: "dropped", at: 5 }), "connection"],
    [new SourceCorruptError("lied", { origin: "http://o/a", reason: "length_mismatch" }), "corruption"],
    [Object.assign(new Error("no"), { code: "ENOENT" }), "source"],
    [new TooBigError(2, 1), "too_big"],
    [new TelegramError(403, "CHAT_WRITE_FORBIDDEN"), "forbidden"],
    [new TgpipeError("odd", { code: "ODD" }), "unknown"],
  ];
  for (const [err, want] of cases) assert.equal(errorCategory(err), want, String(err));
  assert.deepEqual(new Set(cases.map(([, c]) => c)), new Set(ERROR_CATEGORIES));
});

Deno.test("upload report: its fields are exactly the ones docs/upload.md documents, with their types", async () => {
  const doc = await Deno.readTextFile(new URL("../../../docs/upload.md", import.meta.url));
  const table = doc.slice(doc.indexOf("## The report"));
  const documented = new Map<string, string>();
  for (const m of table.matchAll(/^\| `([^`]+)` *\| (\w+) +\|/gm)) documented.set(m[1], m[2]);
  assert.ok(documented.size > 20, "the field table was found");
  const seen = new Map<string, string>();
  const type = (v: unknown) =>
    Array.isArray(v)
      ? "array"
      : Number.isInteger(v)
      ? "integer"
      : typeof v === "number"
      ? "number"
      : typeof v;
  const r = _report() as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(r)) {
    if (k === "files") {
      for (const f of v as Record<string, unknown>[]) {
        for (const [fk, fv] of Object.entries(f)) seen.set(`files[].${fk}`, type(fv));
      }
    } else if (k === "categories") {
      for (const c of Object.keys(v as object)) assert.ok(ERROR_CATEGORIES.includes(c as never), c);
      seen.set("categories.<name>", "integer");
    } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      for (const [sk, sv] of Object.entries(v)) seen.set(`${k}.${sk}`, type(sv));
    } else seen.set(k, type(v));
  }
  assert.deepEqual([...seen.keys()].sort(), [...documented.keys()].sort());
  for (const [k, t] of seen) {
    const want = documented.get(k);
    assert.ok(want === t || (want === "number" && t === "integer"), `${k}: documented ${want}, is ${t}`);
  }
});
