/**
 * Whether a DC still takes a stored auth key (dc_key_store.ts): one small authorized request on a
 * connection opened with it. Telegram answers a key it does not know with transport error -404
 * (and hangs up), and a known key whose authorization is gone with 401 AUTH_KEY_UNREGISTERED and
 * the like. GramJS's MTProtoSender just stops reading after a -404 and leaves the request
 * pending, so the -404 is raced in (`refused`) and the wait is bounded: a stored key that turns
 * out bad costs one round trip, never a timeout.
 */
import { REVOKED } from "./revoked.ts";

/**
 * What the DC made of the key: takes it, refused it (forget it), or no clear answer (keep it, but
 * make a new one now); `reason` names the answer (an RPC error name, -404, a timeout), never the key.
 */
export type DcKeyVerdict = { kind: "ok" } | { kind: "refused" | "unsure"; reason: string };

/**
 * Sends the check (`ask`) and settles on the first of: its answer, `refused` (the connection saw
 * -404), or `waitMs` passing. An RPC error other than an authorization one means the request got
 * past the key and authorization checks, so the key counts as taken.
 */
export async function checkDcKey(
  ask: () => Promise<unknown>,
  refused: Promise<void>,
  waitMs: number,
): Promise<DcKeyVerdict> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<DcKeyVerdict>((resolve) =>
    timer = setTimeout(() => resolve({ kind: "unsure", reason: `no answer within ${waitMs} ms` }), waitMs)
  );
  const asked = ask().then((): DcKeyVerdict => ({ kind: "ok" }), _verdict);
  try {
    const unknown = refused.then((): DcKeyVerdict => ({ kind: "refused", reason: "-404, key unknown" }));
    return await Promise.race([asked, unknown, late]);
  } finally {
    clearTimeout(timer);
  }
}

function _verdict(err: unknown): DcKeyVerdict {
  const { code, errorMessage } = (err ?? {}) as { code?: unknown; errorMessage?: unknown };
  if (typeof code !== "number" || typeof errorMessage !== "string") {
    return { kind: "unsure", reason: err instanceof Error ? err.message : String(err) };
  }
  return code === 401 || REVOKED.has(errorMessage)
    ? { kind: "refused", reason: errorMessage }
    : { kind: "ok" };
}
