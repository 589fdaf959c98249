import { Command } from "@commander-js/extra-typings";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";
import { printStatus } from "./status.ts";

/** `tgpipe jobs ls|rm`: list jobs (same as `status`) or remove one with all its progress. */
export function jobsCommand(io: CliIo, state: CliState): AnyCommand {
  const cmd = new Command("jobs").description("List or remove jobs in the progress store")
    .addHelpText("after", "\nExamples:\n  tgpipe jobs ls\n  tgpipe jobs rm export-3f9a2c1b0d4e");
  cmd.command("ls")
    .description("List jobs, or show one (the same as `tgpipe status`)")
    .argument("[job]", "a job id, or a prefix only one job id starts with")
    .addHelpText("after", "\nExamples:\n  tgpipe jobs ls\n  tgpipe --json jobs ls | jq '.data.jobs | length'")
    .action(makeAction(io, state, (rt, job) => printStatus(rt, job)));
  cmd.command("rm")
    .description("Remove a job and all its progress (cursors, part bitmaps, done markers, leases)")
    .argument("<job>", "a job id, or a prefix only one job id starts with")
    .addHelpText(
      "after",
      "\nExamples:\n  tgpipe jobs rm export-3f9a2c1b0d4e\n  tgpipe --json jobs rm export-3f9a\n\n" +
        "The next run of the same command starts from the beginning. Unknown job: exit 2.",
    )
    .action(makeAction(io, state, async (rt, job) => {
      const { removeJob } = await import("../../app/jobs/jobs.ts");
      const res = await removeJob({ kv: rt.settings.kv, job, signal: rt.signal });
      rt.result("jobs_rm", res, () => `Removed job ${res.removed} (${res.command}, ${res.state})\n`);
    }));
  return cmd;
}
