import { progressStoreConformance } from "../conformance/progress_store_conformance.ts";
import { openProgressStore } from "../../lib/store/kv_store.ts";

progressStoreConformance("kv memory store", async ({ now }) => {
  const store = await openProgressStore(":memory:", { now });
  return { store, cleanup: () => Promise.resolve() };
});
