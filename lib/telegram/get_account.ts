/** Who the session belongs to (`tgpipe whoami`). */
import { Api } from "telegram";
import type { Account } from "../core/account.ts";
import { maskPhone } from "../core/mask_phone.ts";
import type { TgClient } from "./client.ts";

/** What getAccount last answered per client: connectAccount already asked on connect. */
const _known = new WeakMap<TgClient, Account>();

/** Fetches the logged-in account; LoginRequiredError (exit 4) when the session is not authorised. */
export async function getAccount(client: TgClient): Promise<Account> {
  const users = await client.call<Api.TypeUser[]>(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
  const u = users[0] as Api.User;
  const account: Account = {
    id: Number(u.id),
    name: [u.firstName, u.lastName].filter(Boolean).join(" "),
    bot: !!u.bot,
    dc_id: client.dcId,
  };
  const username = u.username ?? u.usernames?.[0]?.username;
  if (username) account.username = username;
  const phone = maskPhone(u.phone ?? undefined);
  if (phone) account.phone_masked = phone;
  rememberAccount(client, account);
  return account;
}

/** Records `account` as the client's (its event label, and what knownAccount answers). */
export function rememberAccount(client: TgClient, account: Account): void {
  client.account = accountLabel(account);
  _known.set(client, account);
}

/** The account getAccount last fetched on this client (no request), or undefined. */
export function knownAccount(client: TgClient): Account | undefined {
  return _known.get(client);
}

/** The label events use for an account: masked phone, else `user <id>`. */
export function accountLabel(a: Pick<Account, "id" | "phone_masked" | "bot">): string {
  return a.phone_masked ?? (a.bot ? `bot ${a.id}` : `user ${a.id}`);
}
