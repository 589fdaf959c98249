import { openProgressStore } from "../../lib/store/kv_store.ts";
import { jobRunnerConformance } from "../conformance/job_runner_conformance.ts";

jobRunnerConformance("memory KV", async () => ({
  store: await openProgressStore(":memory:"),
  cleanup: () => Promise.resolve(),
}));

jobRunnerConformance("KV file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe-runner-" });
  return {
    store: await openProgressStore(`${dir}/progress.kv`),
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
});
