import type { RunRecord } from "./run_cli.ts";

/** Where one secret showed up in one recorded run. */
export interface Leak {
  file: string;
  stream: "stdout" | "stderr" | "args";
  /** The secret with all but its first 2 characters starred, so the report itself does not leak. */
  secret: string;
  context: string;
}

/** Finds every recorded secret that appears in its run's output (or, unredacted, in its args). */
export function findLeaks(records: ReadonlyArray<{ file: string; record: RunRecord }>): Leak[] {
  const leaks: Leak[] = [];
  for (const { file, record } of records) {
    const streams = { stdout: record.stdout, stderr: record.stderr, args: record.args.join(" ") };
    for (const secret of record.secrets) {
      for (const [stream, text] of Object.entries(streams) as Array<[Leak["stream"], string]>) {
        const at = text.indexOf(secret);
        if (at < 0) continue;
        const masked = secret.slice(0, 2) + "*".repeat(secret.length - 2);
        const context = text.slice(Math.max(0, at - 30), at + secret.length + 30).replaceAll(secret, masked);
        leaks.push({ file, stream, secret: masked, context });
      }
    }
  }
  return leaks;
}
