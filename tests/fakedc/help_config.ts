/** The help.Config every handler set of the fake DC answers with. */
import type { DcSpec } from "./contract.ts";

/** Builds a help.Config for any layer (fields a layer lacks are ignored by its constructor). */
export function helpConfig(
  // deno-lint-ignore no-explicit-any
  A: any,
  o: { nowMs: number; thisDc: number; dcs: DcSpec[]; webfileDcId: number },
): unknown {
  const now = Math.floor(o.nowMs / 1000);
  return new A.Config({
    date: now,
    expires: now + 3600,
    testMode: false,
    thisDc: o.thisDc,
    dcOptions: o.dcs.map((d) =>
      new A.DcOption({ id: d.id, ipAddress: d.host, port: d.port, mediaOnly: d.media || undefined })
    ),
    dcTxtDomainName: "localhost",
    chatSizeMax: 200,
    megagroupSizeMax: 200000,
    forwardedCountMax: 100,
    onlineUpdatePeriodMs: 210000,
    offlineBlurTimeoutMs: 5000,
    offlineIdleTimeoutMs: 30000,
    onlineCloudTimeoutMs: 300000,
    notifyCloudDelayMs: 30000,
    notifyDefaultDelayMs: 1500,
    pushChatPeriodMs: 60000,
    pushChatLimit: 2,
    editTimeLimit: 172800,
    revokeTimeLimit: 2147483647,
    revokePmTimeLimit: 2147483647,
    ratingEDecay: 2419200,
    stickersRecentLimit: 200,
    channelsReadMediaPeriod: 604800,
    callReceiveTimeoutMs: 20000,
    callRingTimeoutMs: 90000,
    callConnectTimeoutMs: 30000,
    callPacketTimeoutMs: 10000,
    meUrlPrefix: "https://t.me/",
    captionLengthMax: 1024,
    messageLengthMax: 4096,
    webfileDcId: o.webfileDcId,
    // Only in older layers; newer classes drop them.
    savedGifsLimit: 200,
    stickersFavedLimit: 5,
    pinnedDialogsCountMax: 5,
    pinnedInfolderCountMax: 100,
  });
}
