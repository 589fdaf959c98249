import assert from "node:assert/strict";
import {
  type CacheStorage,
  checkSchemaCache,
  GRAMJS_CACHE_KEY,
  gramJsCacheOwner,
  OWNER_KEY,
} from "../../lib/telegram/schema_cache.ts";

/** An in-memory Storage: the function under test takes any. */
function _storage(items: Record<string, string> = {}): CacheStorage & { items: Map<string, string> } {
  const map = new Map(Object.entries(items));
  return {
    items: map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

const OWNER = "file:///x/node_modules/.deno/telegram@2.26.22/node_modules/telegram/tl/api.js";

Deno.test("a cache written by this GramJS is kept as it is", () => {
  const s = _storage({ [GRAMJS_CACHE_KEY]: "[1]", [OWNER_KEY]: OWNER });
  assert.equal(checkSchemaCache(s, OWNER), "kept");
  assert.deepEqual(Object.fromEntries(s.items), { [GRAMJS_CACHE_KEY]: "[1]", [OWNER_KEY]: OWNER });
});

Deno.test("another GramJS version's cache is dropped and this one recorded as the next writer", () => {
  const s = _storage({ [GRAMJS_CACHE_KEY]: "[1]", [OWNER_KEY]: OWNER.replace("2.26.22", "2.26.21") });
  assert.equal(checkSchemaCache(s, OWNER), "dropped");
  assert.deepEqual(Object.fromEntries(s.items), { [OWNER_KEY]: OWNER });
});

Deno.test("a cache of unknown origin (written before the check existed) is dropped", () => {
  const s = _storage({ [GRAMJS_CACHE_KEY]: "[1]" });
  assert.equal(checkSchemaCache(s, OWNER), "dropped");
  assert.deepEqual(Object.fromEntries(s.items), { [OWNER_KEY]: OWNER });
});

Deno.test("no cache yet: nothing to drop, the owner is recorded", () => {
  const s = _storage();
  assert.equal(checkSchemaCache(s, OWNER), "kept");
  assert.deepEqual(Object.fromEntries(s.items), { [OWNER_KEY]: OWNER });
});

Deno.test("without a storage, an owner, or with a storage that throws, nothing happens", () => {
  assert.equal(checkSchemaCache(undefined, OWNER), "off");
  assert.equal(checkSchemaCache(_storage({ [GRAMJS_CACHE_KEY]: "[1]" }), ""), "off");
  const broken: CacheStorage = {
    getItem: () => {
      throw new DOMException("database is locked");
    },
    setItem: () => {},
    removeItem: () => {},
  };
  assert.equal(checkSchemaCache(broken, OWNER), "off");
});

Deno.test("the owner is the running GramJS's tl/api.js, whose path names the package version", async () => {
  const owner = gramJsCacheOwner();
  assert.match(owner, /\/telegram[@/]\d+\.\d+\.\d+[^/]*\/.*tl\/api\.js$/);
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const pinned = String(config.imports.telegram).replace(/^npm:telegram@/, "");
  assert.ok(owner.includes(pinned), `${owner} is not GramJS ${pinned}`);
});
