import assert from "node:assert/strict";
import { StoreError } from "../../lib/core/errors.ts";
import { openProgressStore } from "../../lib/store/kv_store.ts";
import { KvProgressStore } from "../../lib/store/kv_progress_store.ts";
import { migrateStore, SCHEMA_VERSION, type V0Job } from "../../lib/store/migrations.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("openProgressStore writes the current schema version to a new store", async () => {
  await withDir(async (dir) => {
    const store = await openProgressStore(`${dir}/p.kv`);
    store.close();
    const kv = await Deno.openKv(`${dir}/p.kv`);
    try {
      assert.equal((await kv.get(["meta", "schema"])).value, SCHEMA_VERSION);
    } finally {
      kv.close();
    }
  });
});

Deno.test("a v0 store (jobs with inline totals, top-level cursors) migrates to the current layout", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/old.kv`;
    const kv = await Deno.openKv(path);
    const old: V0Job = {
      id: "export-aaaaaaaaaaaa",
      command: "export",
      args: "@chan -> out",
      state: "stopped",
      created: 1_000,
      updated: 2_000,
      totals: { items: 10, items_done: 4, items_failed: 1, bytes: 1000, bytes_done: 400 },
      meta: { chat: 42 },
    };
    await kv.set(["jobs", old.id], old);
    await kv.set(["cursor", old.id, "0"], { offsetId: 77 });
    kv.close();

    const store = await openProgressStore(path);
    try {
      const job = await store.getJob(old.id);
      assert.deepEqual(job, {
        id: old.id,
        command: "export",
        args: "@chan -> out",
        state: "stopped",
        createdAt: 1_000,
        updatedAt: 2_000,
        meta: { chat: 42 },
        totals: { items: 10, itemsDone: 4, itemsFailed: 1, bytes: 1000, bytesDone: 400 },
      });
      assert.deepEqual(await store.getCursor(old.id, "0"), { offsetId: 77 });
    } finally {
      store.close();
    }
    const raw = await Deno.openKv(path);
    try {
      assert.equal((await raw.get(["jobs", old.id])).value, null);
      assert.equal((await raw.get(["cursor", old.id, "0"])).value, null);
      assert.equal((await raw.get(["meta", "schema"])).value, SCHEMA_VERSION);
    } finally {
      raw.close();
    }
  });
});

Deno.test("migrations run in order from the stored version, each once", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const ran: string[] = [];
    const step = (from: number) => ({
      from,
      to: from + 1,
      description: `v${from}`,
      run: () => Promise.resolve(void ran.push(`v${from}`)),
    });
    await kv.set(["meta", "schema"], 1);
    assert.equal(await migrateStore(kv, ":memory:", { migrations: [step(0), step(1), step(2)] }), 1);
    assert.deepEqual(ran, ["v1", "v2"]);
    assert.equal((await kv.get(["meta", "schema"])).value, 3);
    await migrateStore(kv, ":memory:", { migrations: [step(0), step(1), step(2)] });
    assert.deepEqual(ran, ["v1", "v2"]);
  } finally {
    kv.close();
  }
});

Deno.test("a store with a newer schema is refused with a StoreError that says so", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/new.kv`;
    const kv = await Deno.openKv(path);
    await kv.set(["meta", "schema"], SCHEMA_VERSION + 1);
    kv.close();
    await assert.rejects(() => openProgressStore(path), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.match(err.message, new RegExp(`schema v${SCHEMA_VERSION + 1}, newer than this tgpipe`));
      assert.equal(err.location, path);
      return true;
    });
  });
});

Deno.test("openProgressStore refuses a missing directory unless createParent is set", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/x/y/p.kv`;
    await assert.rejects(
      () => openProgressStore(path),
      /Directory .*x\/y for the progress store does not exist/,
    );
    const store = await openProgressStore(path, { createParent: true });
    store.close();
    assert.ok((await Deno.stat(path)).isFile);
  });
});

Deno.test("a commit failing with 'database is locked' is retried until it goes through", async () => {
  const real = await Deno.openKv(":memory:");
  let failures = 0;
  let commits = 0;
  // A Deno.Kv whose atomic commits throw "database is locked" twice, as SQLite does under contention.
  const flaky = new Proxy(real, {
    get(target, prop) {
      if (prop === "atomic") {
        return () => {
          const op = target.atomic();
          return new Proxy(op, {
            get(t, p) {
              if (p === "commit") {
                return () => {
                  commits++;
                  if (failures < 2) {
                    failures++;
                    return Promise.reject(new TypeError("database is locked"));
                  }
                  return t.commit();
                };
              }
              const v = Reflect.get(t, p, t);
              return typeof v === "function" ? v.bind(t) : v;
            },
          });
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  const retries: number[] = [];
  const store = new KvProgressStore(flaky, {
    location: ":memory:",
    kind: "memory",
    retry: { baseDelayMs: 1, onRetry: (attempt) => retries.push(attempt) },
  });
  try {
    await store.markItemDone("j", "m1");
    assert.equal(failures, 2);
    assert.equal(commits, 3);
    assert.deepEqual(retries, [1, 2]);
    assert.equal(await store.isItemDone("j", "m1"), true);
  } finally {
    store.close();
  }
});

Deno.test("lock errors give up after the configured number of attempts", async () => {
  const real = await Deno.openKv(":memory:");
  let commits = 0;
  const locked = new Proxy(real, {
    get(target, prop) {
      if (prop === "atomic") {
        return () => ({
          set() {
            return this;
          },
          commit() {
            commits++;
            return Promise.reject(new Error("database is locked"));
          },
        });
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  const store = new KvProgressStore(locked, {
    location: ":memory:",
    kind: "memory",
    retry: { attempts: 3, baseDelayMs: 1 },
  });
  try {
    await assert.rejects(() => store.setCursor("j", "0", 1), /database is locked/);
    assert.equal(commits, 3);
  } finally {
    store.close();
  }
});
