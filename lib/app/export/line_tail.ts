import { jsonlId } from "./read_jsonl.ts";

/** How many lines a JSON-lines file holds and the message id of its last one, read in chunks. */
export async function lineTail(path: string): Promise<{ lines: number; lastId: number | undefined }> {
  const file = await Deno.open(path, { read: true });
  let lines = 0;
  // the start of the last line, kept across chunks (lines are `{"id":N,...}`: 24 bytes hold the id)
  let head: Uint8Array = new Uint8Array(0);
  let atLineStart = true;
  for await (const chunk of file.readable) {
    let from = 0;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) {
      if (i > from || !atLineStart) {
        head = _grow(atLineStart ? new Uint8Array(0) : head, chunk.subarray(from, i));
      }
      lines++;
      from = i + 1;
      atLineStart = true;
    }
    if (from < chunk.length) {
      head = _grow(atLineStart ? new Uint8Array(0) : head, chunk.subarray(from));
      atLineStart = false;
    }
  }
  if (!atLineStart) lines++;
  return { lines, lastId: jsonlId(new TextDecoder().decode(head)) };
}

function _grow(head: Uint8Array, more: Uint8Array): Uint8Array {
  if (head.length >= 24) return head;
  const out = new Uint8Array(Math.min(24, head.length + more.length));
  out.set(head);
  out.set(more.subarray(0, out.length - head.length), head.length);
  return out;
}
