import assert from "node:assert/strict";
import {
  SourceConnectionError,
  SourceCorruptError,
  SourceHttpError,
  SourceNotResumableError,
} from "../../lib/engine/source_errors.ts";
import {
  FloodWaitError,
  LoginRequiredError,
  NotFoundError,
  StoppedError,
  TelegramError,
  TgpipeError,
  UsageError,
} from "../../lib/core/errors.ts";
import { isTransient } from "../../lib/engine/is_transient.ts";

Deno.test("isTransient: network trouble, 5xx and flood waits are worth another attempt", () => {
  for (
    const e of [
      new Error("TIMEOUT"),
      new TgpipeError("Stalled", { code: "STALL" }),
      new TelegramError(500, "X"),
      new TelegramError(-503, "Timeout"),
      new FloodWaitError(3),
      new TelegramError(420, "FLOOD_WAIT_3"),
    ]
  ) {
    assert.equal(isTransient(e), true, String(e));
  }
});

Deno.test("isTransient: bad input, login, disk, verification, 4xx and stops are not", () => {
  const disk = Object.assign(new Error("No space left"), { code: "ENOSPC" });
  for (
    const e of [
      new UsageError("x"),
      new NotFoundError("x", "chat"),
      new LoginRequiredError("x"),
      disk,
      new TgpipeError("Hash", { code: "VERIFY_FAILED" }),
      new TgpipeError("No media", { code: "NO_MEDIA" }),
      new TelegramError(400, "CHANNEL_PRIVATE"),
      new StoppedError("x"),
    ]
  ) {
    assert.equal(isTransient(e), false, String(e));
  }
});

Deno.test("isTransient: upload sources say themselves whether another attempt may help", () => {
  assert.equal(isTransient(new SourceHttpError("https://h/a", 503)), true);
  assert.equal(isTransient(new SourceHttpError("https://h/a", 429)), true);
  assert.equal(isTransient(new SourceHttpError("https://h/a", 404)), false);
  assert.equal(
    isTransient(new SourceConnectionError("Dropped", { origin: "https://h/a", reason: "dropped", at: 5 })),
    true,
  );
  assert.equal(
    isTransient(new SourceCorruptError("Lied", { origin: "https://h/a", reason: "length_mismatch" })),
    false,
  );
  assert.equal(isTransient(new SourceNotResumableError("Gone", "stdin")), false);
});
