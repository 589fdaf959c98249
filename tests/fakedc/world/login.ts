/** Fixed login data every world carries, so tests and the demo can sign in without Telegram. */

/**
 * Sign-in data of every world:
 * - `user`: phone `15550000001`, code `12345`; signs in as `world.selfUserId` (1000001 in
 *   generated and single-chat worlds, the exporter's id in a whole-account export).
 * - `twoFa`: phone `15550000002`, code `12345`, then SRP password `hunter2` (user 1000002).
 * - `bot`: token `123456:TEST-TOKEN-tgpipe-fakedc`, user 123456, @tgpipe_test_bot.
 * A code hash expires after `codeTtlS` seconds or when a newer auth.sendCode supersedes it
 * (PHONE_CODE_EXPIRED); any other phone made of 5–15 digits is PHONE_NUMBER_UNOCCUPIED at sign-in.
 */
export const FAKE_LOGIN = {
  user: { phone: "15550000001", code: "12345", userId: 1000001n, firstName: "Fake", lastName: "User" },
  twoFa: {
    phone: "15550000002",
    code: "12345",
    password: "hunter2",
    hint: "classic",
    userId: 1000002n,
    firstName: "Secure",
    lastName: "User",
  },
  bot: { token: "123456:TEST-TOKEN-tgpipe-fakedc", userId: 123456n, username: "tgpipe_test_bot" },
  codeTtlS: 300,
} as const;

/**
 * Test API credentials. Like Telegram, the fake DC checks the api_hash where it is sent
 * (auth.sendCode, auth.importBotAuthorization): FAKE_API_ID with another hash is API_ID_INVALID.
 * Other api_ids are accepted with any hash (the protocol tests use made-up ones).
 */
export const FAKE_API_ID = "17349";
export const FAKE_API_HASH = "344583e45741c457fe1862106095a5eb";
