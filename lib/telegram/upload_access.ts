/**
 * An account's way to upload: saveFilePart / saveBigFilePart over the account's own file
 * connections on its home DC (a FilePool: several connections, not GramJS's one), and the part
 * limit the server advertises for it (help.getAppConfig's upload_max_fileparts_default, or
 * _premium when the account is premium).
 */
import bigInt from "big-integer";
import { Buffer } from "node:buffer";
import { Api } from "telegram";
import type { SavePart, UploadLane } from "../engine/upload_lane.ts";
import { DEFAULT_MAX_PARTS, type UploadLimits } from "../engine/upload_plan.ts";
import type { TgClient } from "./client.ts";
import type { FilePool } from "./file_pool.ts";

/** The upload lane of an account: its parts go over `pool`'s connections to its home DC. */
export function telegramUploadLane(
  client: TgClient,
  pool: FilePool,
  pausedUntil: () => number,
): UploadLane {
  return {
    get label() {
      return client.account;
    },
    pausedUntil,
    async savePart(p: SavePart, signal: AbortSignal): Promise<void> {
      const fileId = bigInt(p.fileId);
      const bytes = Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength);
      const req = p.big
        ? new Api.upload.SaveBigFilePart({ fileId, filePart: p.index, fileTotalParts: p.totalParts, bytes })
        : new Api.upload.SaveFilePart({ fileId, filePart: p.index, bytes });
      await pool.call<boolean>(client.dcId, req, signal);
    },
  };
}

/**
 * The part limit for this account, read from the server (the default when it says nothing). Bots
 * may not call help.getAppConfig (BOT_METHOD_INVALID) and are never premium: they get the default.
 */
export async function readUploadLimits(client: TgClient, signal?: AbortSignal): Promise<UploadLimits> {
  const users = await client.call<Api.TypeUser[]>(
    new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }),
    { signal },
  );
  const me = users[0] instanceof Api.User ? users[0] : undefined;
  if (me?.bot) return { maxParts: DEFAULT_MAX_PARTS };
  const cfg = await client.call<Api.help.TypeAppConfig | Api.TypeJSONValue>(
    new Api.help.GetAppConfig({ hash: 0 }),
    { signal },
  );
  const json = cfg instanceof Api.help.AppConfig ? cfg.config : cfg;
  const values = new Map<string, number>();
  if (json instanceof Api.JsonObject) {
    for (const v of json.value) if (v.value instanceof Api.JsonNumber) values.set(v.key, v.value.value);
  }
  const def = values.get("upload_max_fileparts_default") ?? DEFAULT_MAX_PARTS;
  const max = me?.premium === true ? values.get("upload_max_fileparts_premium") ?? def : def;
  return { maxParts: max };
}
