import type { EventBody, TgpipeEvent } from "../../lib/progress/events.ts";

/** Stamps an event body the way EventBus does (fixed time: the reporters use their own clock). */
export function ev(body: EventBody): TgpipeEvent {
  return { v: 1, ts: "2025-01-01T00:00:00.000Z", ...body } as TgpipeEvent;
}
