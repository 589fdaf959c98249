/**
 * GramJS's MemorySession (the base of StringSession) keeps the users and chats of every answer as
 * rows in a Set of arrays. Each answer makes new arrays, so the Set never deduplicates: it grows by
 * every user and chat of every answer for as long as the client lives (a bot or `serve` running for
 * days), and every lookup by id, username or phone scans it all and returns the oldest row. Here the
 * session keeps one row per peer id, the newest (a changed username or access hash replaces the old).
 */
import type { StringSession } from "telegram/sessions/index.js";

/** A row: marked peer id, access hash, username, phone, name (GramJS's order). */
type Row = unknown[];
interface EntityStore {
  _entities: Set<Row>;
  _entitiesToRows(tlo: unknown): Row[];
  processEntities(tlo: unknown): void;
}

/** Makes `session` keep one entity row per peer id (see the module comment). */
export function keepOneRowPerPeer(session: StringSession): void {
  const s = session as unknown as EntityStore;
  const byId = new Map<string, Row>();
  const put = (row: Row) => {
    const id = String(row[0]);
    const old = byId.get(id);
    if (old !== undefined && old !== row) s._entities.delete(old);
    byId.set(id, row);
    s._entities.add(row);
  };
  for (const row of [...s._entities]) put(row);
  s.processEntities = (tlo: unknown) => {
    for (const row of s._entitiesToRows(tlo)) put(row);
  };
}
