/** Seeded random helpers and ids shared by the history page generators (fast_history_test.ts). */
import bigInt from "big-integer";
import { Api } from "telegram";

/** A seeded PRNG (mulberry32): the fake DC's, so a seed gives the same sequence everywhere. */
export { makeRng as rngOf } from "../fakedc/faults.ts";

/** A random number source in [0, 1). */
export type Rng = () => number;
/** A random element. */
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
/** True with probability p. */
export const chance = (r: Rng, p: number) => r() < p;
/** A random integer in [lo, hi]. */
export const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** User, channel and basic group ids the pages use. */
export const USERS = [101, 102, 103, 104, 2000001, 987654321];
export const CHANNELS = [1700000001, 1700000002, 1234567890123];
export const CHATS = [4000001, 4000002];
/** Message texts: empty, ASCII, Cyrillic, emoji, long (254+ bytes), multi-line. */
export const TEXTS = [
  "",
  "hello",
  "Привет, мир",
  "emoji 👍🏽 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "a".repeat(253),
  "long ".repeat(80),
  "line one\nline two\n\n*not bold* _x_ `y`",
  "日本語のテキスト",
];

/** A random peer of any kind. */
export function randomPeer(r: Rng): Api.TypePeer {
  const k = int(r, 0, 2);
  if (k === 0) return new Api.PeerUser({ userId: bigInt(pick(r, USERS)) });
  if (k === 1) return new Api.PeerChat({ chatId: bigInt(pick(r, CHATS)) });
  return new Api.PeerChannel({ channelId: bigInt(pick(r, CHANNELS)) });
}
