/**
 * GramJS's schema cache, tied to the GramJS that wrote it. GramJS (tl/api.js) keeps its parsed TL
 * schema (1.4 MB of JSON) in localStorage when there is one, as under Deno, and builds its classes
 * from it at every start instead of parsing the schema text again. Its key is a constant: after an
 * upgrade of GramJS, the new version would build its classes from the old version's schema (a
 * layer it does not speak). Importing this module before GramJS drops a cache that another GramJS
 * wrote, so GramJS parses its own schema once and caches that (one localStorage write: atomic).
 * lib/telegram/client.ts imports it first, so it runs before any GramJS module does.
 */

/** Where GramJS keeps its cache (tl/api.js, CACHE_KEY). */
export const GRAMJS_CACHE_KEY = "GramJs:apiCache";
/** Which GramJS wrote that cache: the URL of its tl/api.js, whose path names the package version. */
export const OWNER_KEY = "tgpipe:GramJs:apiCache:owner";

/**
 * The part of Storage used here (localStorage, or a stand-in in tests). Structural: a worker's
 * globals have no Storage type, and this module is loaded in fetch workers too.
 */
export interface CacheStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Drops GramJS's schema cache from `storage` unless `owner` (the running GramJS's tl/api.js URL)
 * wrote it, and records `owner` as the writer of the next one. "kept": the cache is this GramJS's
 * (or there is none yet); "dropped": another GramJS's cache was removed; "off": no storage.
 */
export function checkSchemaCache(
  storage: CacheStorage | undefined,
  owner: string,
): "kept" | "dropped" | "off" {
  if (!storage || !owner) return "off";
  try {
    if (storage.getItem(OWNER_KEY) === owner) return "kept";
    // the cache may predate this check (no owner recorded): it is dropped too
    const had = storage.getItem(GRAMJS_CACHE_KEY) !== null;
    storage.removeItem(GRAMJS_CACHE_KEY);
    storage.setItem(OWNER_KEY, owner);
    return had ? "dropped" : "kept";
  } catch {
    // an unusable localStorage: GramJS then fails or parses on its own; nothing to add here
    return "off";
  }
}

/** The running GramJS's tl/api.js URL ("" if it cannot be resolved): the cache's owner. */
export function gramJsCacheOwner(): string {
  return _try(() => import.meta.resolve("telegram/tl/api.js")) ?? "";
}

checkSchemaCache(
  _try(() => (globalThis as { localStorage?: CacheStorage }).localStorage),
  gramJsCacheOwner(),
);

function _try<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
