import { Command } from "@commander-js/extra-typings";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe logout
  tgpipe --session ./work.session logout

Ends the session on Telegram's side (auth.logOut) and deletes the session file and the
session's stored keys of other DCs (<data dir>/dc-keys).`;

/** `tgpipe logout`: log the session out and delete its file. */
export function logoutCommand(io: CliIo, state: CliState): AnyCommand {
  return new Command("logout")
    .description("Log out of Telegram and delete the session file")
    .addHelpText("after", EXAMPLES)
    .action(makeAction(io, state, async (rt) => {
      const { logout } = await import("../../app/account/logout.ts");
      const { telegramAccess } = await import("../../app/shared/telegram_access.ts");
      const r = await logout(telegramAccess(rt.settings), { emit: rt.emit, signal: rt.signal });
      rt.result(
        "logout",
        r,
        () =>
          `Logged out${r.remote ? "" : " (the session was already invalid)"}; ${
            r.file_deleted ? `deleted ${r.session_file}` : "no session file to delete"
          }${r.dc_keys_deleted ? "; deleted its stored DC keys" : ""}\n`,
      );
    }));
}
