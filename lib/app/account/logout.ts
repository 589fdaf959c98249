/**
 * `tgpipe logout`: end the session on Telegram's side and delete the session file and the stored
 * keys of its other DCs (as secret as the session).
 */
import { LoginRequiredError } from "../../core/errors.ts";
import type { Emit } from "../../progress/events.ts";
import { forgetDcKeys } from "../../telegram/forget_dc_keys.ts";
import { logOut } from "../../telegram/login.ts";
import { deleteSession, loadSession } from "../../telegram/session_store.ts";
import { connectWith, dcKeyDir, type TelegramAccess } from "../shared/telegram_access.ts";

/** What logout did. */
export interface LogoutResult {
  /** Telegram confirmed the logout (false when the session was already dead). */
  remote: boolean;
  /** The session file existed and was deleted. */
  file_deleted: boolean;
  session_file: string;
  /** The stored keys of the session's other DCs existed and were deleted. */
  dc_keys_deleted: boolean;
}

/** Logs out; a session Telegram already revoked still gets its file deleted. */
export async function logout(
  access: TelegramAccess,
  ctx: { emit?: Emit; signal?: AbortSignal } = {},
): Promise<LogoutResult> {
  let remote = false;
  const session = await loadSession({ file: access.sessionFile, sessionString: access.sessionString });
  const client = await connectWith(access, session, ctx);
  try {
    await logOut(client);
    remote = true;
  } catch (err) {
    if (!(err instanceof LoginRequiredError)) throw err;
  } finally {
    await client.close();
  }
  const dir = dcKeyDir(access);
  const keysDeleted = dir && access.apiId
    ? await forgetDcKeys({ dir, apiId: access.apiId, endpoints: access.endpoints }, session)
    : false;
  const fileDeleted = await deleteSession(access.sessionFile);
  return {
    remote,
    file_deleted: fileDeleted,
    session_file: access.sessionFile,
    dc_keys_deleted: keysDeleted,
  };
}
