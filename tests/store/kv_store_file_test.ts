import { progressStoreConformance } from "../conformance/progress_store_conformance.ts";
import { openProgressStore } from "../../lib/store/kv_store.ts";

progressStoreConformance("kv file store", async ({ now }) => {
  const dir = await Deno.makeTempDir();
  const store = await openProgressStore(`${dir}/progress.kv`, { now });
  return { store, cleanup: () => Deno.remove(dir, { recursive: true }) };
});
