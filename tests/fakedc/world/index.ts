/**
 * The fake DC's world. `loadWorld(spec, { seed })`:
 * - spec = a directory: Telegram Desktop exports under it (see tdesktop.ts);
 * - spec = "gen:..." : a generated world (keys documented in gen.ts), e.g.
 *   `gen:chats=3,messages=1000,files=20,file_size=10MB,big_files=1,big_size=1GB,forum=1,seed=7`.
 * Every world has the fixed login data FAKE_LOGIN (phone 15550000001 code 12345 -> selfUserId;
 * 2FA phone 15550000002 code 12345 password "hunter2"; bot token "123456:TEST-TOKEN-tgpipe-fakedc").
 */
import type { World } from "./types.ts";
import { loadTdesktop } from "./tdesktop.ts";
import { generateWorld } from "./gen.ts";

export { FAKE_LOGIN } from "./login.ts";
export type * from "./types.ts";

/** Load a world from an export directory or a `gen:` spec. */
export function loadWorld(spec: string, opts: { seed: number; fileDcs?: number[] }): Promise<World> {
  if (spec.startsWith("gen:") || spec === "gen") return Promise.resolve(generateWorld(spec, opts));
  return loadTdesktop(spec, opts);
}
