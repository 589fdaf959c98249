/** Writes the --report file: JSON, through a temp name and a rename (never half written). */
import type { UploadReport } from "./upload_report.ts";

/** Writes `report` to `path` atomically. */
export async function writeReport(path: string, report: UploadReport): Promise<void> {
  const part = `${path}.part`;
  try {
    await Deno.writeTextFile(part, JSON.stringify(report, null, 2) + "\n");
    await Deno.rename(part, path);
  } catch (err) {
    await Deno.remove(part).catch(() => {});
    throw err;
  }
}
