import assert from "node:assert/strict";
import { LoginRequiredError } from "../../lib/core/errors.ts";
import { DeadSession } from "../../lib/telegram/dead_session.ts";

Deno.test("DeadSession passes results through until killed, then fails pending and later calls", async () => {
  const dead = new DeadSession();
  assert.equal(await dead.race(Promise.resolve(1)), 1);
  await assert.rejects(dead.race(Promise.reject(new Error("own"))), /own/);
  const pending = dead.race(new Promise<number>(() => {}));
  dead.kill();
  dead.kill();
  assert.equal(dead.dead, true);
  await assert.rejects(pending, (err: unknown) => {
    assert.ok(err instanceof LoginRequiredError);
    assert.equal(err.data.reason, "auth_key_unknown");
    return true;
  });
  await assert.rejects(dead.race(Promise.resolve(2)), LoginRequiredError);
});
