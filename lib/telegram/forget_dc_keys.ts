/**
 * Deletes the stored DC keys of a session (see dc_key_store.ts) when it logs out: they are as
 * secret as the session itself, and useless once Telegram ends its authorization.
 */
import { dcKeyFile, type DcKeyScope } from "./dc_key_store.ts";
import { parseEndpoints } from "./endpoints.ts";
import { parseSession } from "./parse_session.ts";

/** Removes the DC key file of `session` in `scope`; true when one existed. A bad session has none. */
export async function forgetDcKeys(scope: DcKeyScope, session: string): Promise<boolean> {
  let home;
  try {
    const dcs = scope.endpoints ? Object.keys(parseEndpoints(scope.endpoints).dcs).map(Number) : undefined;
    const parsed = parseSession(session, dcs);
    // the raw key bytes (parse_session.ts reads them the same way, before load() wraps them)
    const key = (parsed as unknown as { _key?: Uint8Array })._key;
    if (!key) return false;
    home = { dcId: parsed.dcId, key: new Uint8Array(key) };
  } catch {
    return false; // not a usable session: nothing was ever stored for it
  }
  try {
    await Deno.remove(await dcKeyFile(scope, home));
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
