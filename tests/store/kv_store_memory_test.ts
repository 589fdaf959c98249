import { progressStoreConformance } from "../conformance/progress_store_conformance.ts";
import { openProgressStore } from "../../lib/store/kv_store.ts";

progressStoreConformance("kv memory store", async () => {
  const store = await openProgressStore(":memory:");
  return { store, cleanup: () => Promise.resolve() };
});
