/** `tgpipe whoami`: the account behind the stored session. */
import type { Account } from "../../core/account.ts";
import type { Emit } from "../../progress/events.ts";
import { getAccount, knownAccount } from "../../telegram/get_account.ts";
import { connectAccount, type TelegramAccess } from "../shared/telegram_access.ts";

/** Returns the logged-in account; LoginRequiredError (exit 4) without a valid session. */
export async function whoami(
  access: TelegramAccess,
  ctx: { emit?: Emit; signal?: AbortSignal } = {},
): Promise<Account> {
  const client = await connectAccount(access, ctx);
  try {
    // connectAccount fetched it to check the session: no second round trip
    return knownAccount(client) ?? await getAccount(client);
  } finally {
    await client.close();
  }
}
