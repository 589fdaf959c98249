/**
 * The answer of users.getUsers([inputUserSelf]) (Vector<User>) as tgpipe's Account, read by the
 * early schema (early_schema.ts): the same fields get_account.ts takes from GramJS's User.
 */
import type { Account } from "../core/account.ts";
import { maskPhone } from "../core/mask_phone.ts";
import { VECTOR } from "./early_schema.ts";
import { type EarlyObject, EarlyTlError, TlReader } from "./early_tl.ts";

/** The account in a Vector<User> answer; EarlyTlError when it holds no full User or cannot be read. */
export function readSelfAccount(result: Uint8Array, dcId: number): Account {
  const r = new TlReader(result);
  if (r.uint() !== VECTOR) throw new EarlyTlError("Vector<User> expected");
  if (r.int() < 1) throw new EarlyTlError("no user in the answer");
  const u = r.object();
  if (u._ !== "user") throw new EarlyTlError(`${u._} instead of user`);
  const account: Account = {
    id: Number(u.id as bigint),
    name: [u.first_name, u.last_name].filter(Boolean).join(" "),
    bot: u.bot === true,
    dc_id: dcId,
  };
  const usernames = u.usernames as EarlyObject[] | undefined;
  const username = (u.username as string | undefined) ?? (usernames?.[0]?.username as string | undefined);
  if (username) account.username = username;
  const phone = maskPhone((u.phone as string | undefined) ?? undefined);
  if (phone) account.phone_masked = phone;
  return account;
}
