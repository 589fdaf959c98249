/**
 * The early session check's one request, byte for byte what GramJS sends as its first call:
 * invokeWithLayer(LAYER, initConnection(<the params GramJS's TelegramClient gives it>,
 * users.getUsers([inputUserSelf]))). tests/telegram/early_request_test.ts compares both with GramJS.
 */
import {
  INIT_CONNECTION,
  INPUT_USER_SELF,
  INVOKE_WITH_LAYER,
  LAYER,
  USERS_GET_USERS,
  VECTOR,
} from "./early_schema.ts";
import { TlWriter } from "./early_tl.ts";

/** initConnection's client description. */
export interface InitParams {
  apiId: number;
  deviceModel: string;
  systemVersion: string;
  appVersion: string;
  systemLangCode: string;
  langPack: string;
  langCode: string;
}

// what node:os type() answers per Deno.build.os (GramJS's device model under Deno)
const _OS_TYPE: Record<string, string> = {
  linux: "Linux",
  android: "Linux",
  darwin: "Darwin",
  windows: "Windows_NT",
  freebsd: "FreeBSD",
  netbsd: "NetBSD",
  aix: "AIX",
  solaris: "SunOS",
  illumos: "SunOS",
};

/**
 * What GramJS's TelegramClient puts in initConnection when openClient (client.ts) sets none of
 * them: the OS type and release (node:os, read here without it), app version "1.0", "en".
 */
export function initParams(apiId: number): InitParams {
  let release = "";
  try {
    release = Deno.osRelease();
  } catch {
    // no --allow-sys: GramJS would read the same through node:os and fall back alike
  }
  return {
    apiId,
    deviceModel: _OS_TYPE[Deno.build.os] ?? "Unknown",
    systemVersion: release || "1.0",
    appVersion: "1.0",
    systemLangCode: "en",
    langPack: "",
    langCode: "en",
  };
}

/** invokeWithLayer(LAYER, initConnection(params, users.getUsers([inputUserSelf]))) as TL bytes. */
export function selfRequest(p: InitParams): Uint8Array {
  return new TlWriter()
    .int(INVOKE_WITH_LAYER).int(LAYER)
    .int(INIT_CONNECTION).int(0).int(p.apiId)
    .bytes(p.deviceModel).bytes(p.systemVersion).bytes(p.appVersion)
    .bytes(p.systemLangCode).bytes(p.langPack).bytes(p.langCode)
    .int(USERS_GET_USERS).int(VECTOR).int(1).int(INPUT_USER_SELF)
    .done();
}
