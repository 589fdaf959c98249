import { Command } from "@commander-js/extra-typings";
import type { JobDetail, JobSummary, StatusReport } from "../../app/jobs/status.ts";
import { formatBytes } from "../../core/format.ts";
import { describeCursors } from "../describe_cursors.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction, type Runtime } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe status
  tgpipe status export-3f9a2c1b0d4e
  tgpipe --kv https://kv.example.com/db status
  tgpipe --json status | jq '.data.jobs[] | select(.state == "stopped") | .id'

A job id prefix is enough when only one job starts with it.`;

/** `tgpipe status [job]`: the jobs in the progress store, or one job in detail. */
export function statusCommand(io: CliIo, state: CliState): AnyCommand {
  return new Command("status")
    .description(
      "List jobs in the progress store (id, command, input, output, state, progress), or show one job",
    )
    .argument("[job]", "a job id, or a prefix only one job id starts with")
    .addHelpText("after", EXAMPLES)
    .action(makeAction(io, state, (rt, job) => printStatus(rt, job)));
}

/** Runs `status` for the CLI (shared with `jobs ls`) and prints its result. */
export async function printStatus(rt: Runtime, job: string | undefined): Promise<void> {
  const { status } = await import("../../app/jobs/status.ts");
  const report = await status({ kv: rt.settings.kv, job, signal: rt.signal });
  rt.result("status", report, () => renderStatus(report));
}

/** The status report as text: an aligned table of jobs, or one job's fields. */
export function renderStatus(report: StatusReport): string {
  return "job" in report ? _renderJob(report.job) : _renderList(report.kv, report.jobs);
}

function _renderList(kv: string, jobs: JobSummary[]): string {
  if (jobs.length === 0) return `No jobs in ${kv}\n`;
  const head = ["ID", "COMMAND", "INPUT", "OUTPUT", "STATE", "PROGRESS", "ITEMS", "BYTES", "UPDATED"];
  const rows = jobs.map((j) => [
    j.id,
    j.command,
    _clip(j.input || "-"),
    _clip(j.output || "-"),
    j.state,
    _percent(j.progress),
    _items(j),
    _bytes(j),
    j.updated_at.slice(0, 19).replace("T", " "),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}

function _renderJob(j: JobDetail): string {
  const fields: Array<[string, string]> = [
    ["id", j.id],
    ["command", j.command],
    ["input", j.input || "-"],
    ["output", j.output || "-"],
    ["state", j.state],
    ["progress", _percent(j.progress)],
    ["items", _items(j)],
    ["bytes", _bytes(j)],
    ["created", j.created_at],
    ["updated", j.updated_at],
  ];
  for (const line of describeCursors(j.cursors)) fields.push(["saved", line]);
  for (const [key, value] of Object.entries(j.meta)) fields.push([key, JSON.stringify(value)]);
  const w = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n") + "\n";
}

// a table row stays one line: long link lists and paths are cut (the whole text is in `status <job>`)
function _clip(s: string, max = 32): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : s;
}

function _percent(p: number | null): string {
  return p === null ? "-" : `${p}%`;
}

function _items(j: JobSummary): string {
  const failed = j.items_failed > 0 ? ` (${j.items_failed} failed)` : "";
  return `${j.items_done}/${j.items > 0 ? j.items : "?"}${failed}`;
}

function _bytes(j: JobSummary): string {
  return j.bytes > 0 ? `${formatBytes(j.bytes_done)}/${formatBytes(j.bytes)}` : formatBytes(j.bytes_done);
}
