/**
 * The diagnostics of an upload run: one record per file (outcome, bytes, time, attempts, error
 * category), then the summary (counts, success rate, mean and p95 upload time, MB/s, failures per
 * category) and advice derived from the categories. The same object is the `result` event's data
 * and the --report file; docs/upload.md lists its fields (a test holds the two together).
 */
import { formatBytes } from "../../core/format.ts";
import type { JobReport } from "../../engine/job_types.ts";
import { ADVICE, ERROR_CATEGORIES, type ErrorCategory, errorCategory } from "./error_category.ts";

/** What happened to one file. */
export interface UploadFileRecord {
  item: string;
  name: string;
  /** Where it came from: a path (or a URL). */
  source: string;
  /** done: sent; duplicate: Telegram had the message already (a retried send); skipped: done before. */
  outcome: "done" | "duplicate" | "skipped" | "failed";
  bytes: number;
  /** Time of the last attempt, ms. */
  ms: number;
  attempts: number;
  category?: ErrorCategory;
  error?: string;
  message_ids?: number[];
  /** Parts an earlier run had saved and this one did not send again. */
  resumed_parts?: number;
}

/** The whole report (see module comment). */
export interface UploadReport extends JobReport {
  to: string;
  /** (done + duplicate) / (done + duplicate + failed); 1 when nothing was attempted. */
  success_rate: number;
  /** Bytes sent to Telegram in this run (resumed parts not counted). */
  sent_bytes: number;
  mb_per_s: number;
  upload_ms: { mean: number; p95: number };
  categories: Record<ErrorCategory, number>;
  advice: string[];
  files: UploadFileRecord[];
}

/** Collects the records of a run (the last attempt of an item wins). */
export class UploadDiagnostics {
  readonly #files = new Map<string, UploadFileRecord>();

  /** Records a finished (or skipped) file. */
  record(r: UploadFileRecord): void {
    this.#files.set(r.item, r);
  }

  /** Records a failed attempt of a file. */
  failed(r: Omit<UploadFileRecord, "outcome" | "category" | "error">, err: unknown): void {
    this.#files.set(r.item, {
      ...r,
      outcome: "failed",
      category: errorCategory(err),
      error: (err as Error)?.message ?? String(err),
    });
  }

  /** The records so far (a split file's pieces, summed into the original's record). */
  records(): UploadFileRecord[] {
    return [...this.#files.values()];
  }

  /** Marks files the runner skipped (done in an earlier run) from its plan. */
  skipped(items: Array<{ id: string; name?: string; bytes?: number; source?: string }>): void {
    for (const i of items) {
      if (!this.#files.has(i.id)) {
        this.#files.set(i.id, {
          item: i.id,
          name: i.name ?? i.id,
          source: i.source ?? i.id.replace(/^file:/, ""),
          outcome: "skipped",
          bytes: i.bytes ?? 0,
          ms: 0,
          attempts: 0,
        });
      }
    }
  }

  /** The report of the run. */
  report(job: JobReport, to: string, sentBytes: number): UploadReport {
    const files = [...this.#files.values()];
    const ok = files.filter((f) => f.outcome === "done" || f.outcome === "duplicate");
    const failed = files.filter((f) => f.outcome === "failed");
    const times = files.filter((f) => f.outcome === "done").map((f) => f.ms).sort((a, b) => a - b);
    const categories = Object.fromEntries(ERROR_CATEGORIES.map((c) => [c, 0])) as Record<
      ErrorCategory,
      number
    >;
    for (const f of failed) categories[f.category ?? "unknown"]++;
    const tried = ok.length + failed.length;
    return {
      ...job,
      to,
      success_rate: tried === 0 ? 1 : _round(ok.length / tried, 4),
      sent_bytes: sentBytes,
      mb_per_s: job.elapsed_ms > 0 ? _round(sentBytes / (1 << 20) / (job.elapsed_ms / 1000), 2) : 0,
      upload_ms: {
        mean: times.length ? Math.round(times.reduce((s, t) => s + t, 0) / times.length) : 0,
        p95: times.length ? times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)] : 0,
      },
      categories,
      advice: ERROR_CATEGORIES.filter((c) => categories[c] > 0).map((c) => ADVICE[c]),
      files,
    };
  }
}

/** The human summary of a report (stdout without --json). */
export function describeUploadReport(r: UploadReport): string {
  const dup = r.files.filter((f) => f.outcome === "duplicate").length;
  const lines = [
    `Uploaded ${r.done}/${r.items} files to ${r.to}` +
    (r.skipped > 0 ? `, ${r.skipped} done before` : "") +
    (dup > 0 ? `, ${dup} already sent` : "") +
    (r.failed > 0 ? `, ${r.failed} failed` : "") +
    `: ${(r.success_rate * 100).toFixed(1)}% success`,
    `${formatBytes(r.sent_bytes)} sent in ${(r.elapsed_ms / 1000).toFixed(1)}s (${r.mb_per_s} MB/s); ` +
    `upload time mean ${(r.upload_ms.mean / 1000).toFixed(1)}s, p95 ${(r.upload_ms.p95 / 1000).toFixed(1)}s`,
  ];
  const cats = ERROR_CATEGORIES.filter((c) => r.categories[c] > 0);
  if (cats.length > 0) lines.push(`Failures: ${cats.map((c) => `${c} ${r.categories[c]}`).join(", ")}`);
  for (const f of r.files.filter((x) => x.outcome === "failed")) lines.push(`  ${f.name}: ${f.error}`);
  for (const a of r.advice) lines.push(`Advice: ${a}`);
  return lines.join("\n") + `\n(job ${r.job})\n`;
}

function _round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
