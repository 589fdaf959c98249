import { NotFoundError, UsageError } from "../../core/errors.ts";
import type { Job, ProgressStore } from "../../store/progress_store.ts";

/** Finds a job by its id or by a prefix only one job id starts with. */
export async function findJob(store: ProgressStore, ref: string): Promise<Job> {
  const exact = await store.getJob(ref);
  if (exact) return exact;
  const matches = ref === "" ? [] : (await store.listJobs()).filter((j) => j.id.startsWith(ref));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new UsageError(`Job "${ref}" is ambiguous: ${matches.map((j) => j.id).join(", ")}`, {
      job: ref,
      matches: matches.map((j) => j.id),
    });
  }
  throw new NotFoundError(`No job "${ref}" in ${store.location}; see \`tgpipe status\``, "job");
}
