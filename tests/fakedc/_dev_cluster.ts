/** Test helper: a cluster on the small dev handler set, and raw connections to it. */
import type { World } from "./world/index.ts";
import { type FakeTelegram, startFakeTelegram, type StartOptions } from "./cluster.ts";
import { devHandlers } from "./_dev_handlers.ts";
import { authKeyIdHex } from "./mtproto/crypto.ts";
import { RawClient } from "./_raw_client.ts";
import type { TransportKind } from "./mtproto/transport.ts";

/** The dev cluster's self user id. */
export const DEV_SELF = 1000001n;
/** Size of the dev blob on DC 4. */
export const DEV_BLOB_SIZE = 3 << 20;

/** Starts a cluster serving the dev handlers (no world needed). */
export function startDev(opts: Omit<StartOptions, "world" | "handlers"> = {}): Promise<FakeTelegram> {
  return startFakeTelegram({
    ...opts,
    world: { selfUserId: DEV_SELF } as unknown as World,
    handlers: (dcs) => devHandlers(dcs, { selfId: DEV_SELF, fileDc: 4, blobSize: DEV_BLOB_SIZE }),
  });
}

/** Registers a logged-in key on `dcId` and opens a raw client with it. */
export function openRaw(
  tg: FakeTelegram,
  o: { dcId?: number; transport?: TransportKind } = {},
): Promise<RawClient> {
  const dcId = o.dcId ?? tg.homeDcId;
  const key = crypto.getRandomValues(new Uint8Array(256));
  const keyIdHex = authKeyIdHex(key);
  tg.registry.set(keyIdHex, { keyIdHex, key, dcId, userId: DEV_SELF });
  const port = tg.dcs.find((d) => d.id === dcId)!.port;
  const keyId = Uint8Array.from(keyIdHex.match(/../g)!.map((h) => parseInt(h, 16)));
  return RawClient.open(port, key, keyId, o.transport);
}
