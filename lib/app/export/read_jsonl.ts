/** Reads an export's messages.jsonl back into the model, line by line (bounded memory). */
import type { Message } from "../../core/message.ts";

/**
 * Messages of a messages.jsonl, as the model (without `note` and `media.file`); each message's
 * media link (`media.file`, null when it was not downloaded) goes into `media` by id. Only
 * messages above id `above` when given.
 */
export async function* readJsonlMessages(
  path: string,
  media: Map<number, string | null>,
  above = 0,
): AsyncGenerator<Message> {
  for await (const line of _lines(path)) {
    if (line.length === 0) continue;
    // lines are `{"id":N,...}`: lines at or below `above` are skipped without parsing
    if (above > 0 && (jsonlId(line) ?? Infinity) <= above) continue;
    const row = JSON.parse(line) as Message & { note?: string; media?: { file?: string | null } };
    delete row.note;
    if (row.media) {
      media.set(row.id, row.media.file ?? null);
      delete row.media.file;
    }
    yield row as Message;
  }
}

/** The message id of a messages.jsonl line, read without parsing it: lines start `{"id":N`. */
export function jsonlId(line: string): number | undefined {
  const m = /^\{"id":(\d+)/.exec(line);
  return m ? Number(m[1]) : undefined;
}

async function* _lines(path: string): AsyncGenerator<string> {
  const file = await Deno.open(path, { read: true });
  const decoder = new TextDecoder();
  let rest = "";
  // readable closes the file when it ends
  for await (const chunk of file.readable) {
    rest += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf("\n")) >= 0) {
      yield rest.slice(0, nl);
      rest = rest.slice(nl + 1);
    }
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest;
}
