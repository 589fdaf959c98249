/**
 * `dl --from-file`: the file's format is told by its content. A list of links and chats (one per
 * line, `#` comments), tgpipe's own messages.jsonl (one message per line with `id` and `chat_id`)
 * or tdl's export JSON (`{"id": <chat id>, "messages": [{"id", "type", "file"}]}`). Every error
 * names the file and the line (or tdl's message index) with a short excerpt, once.
 */
import { UsageError } from "../../core/errors.ts";
import { excerpt } from "../../core/format.ts";
import { parseInputs } from "./download_plan.ts";

/** One message of a chat whose file to download. */
export interface MessageRef {
  /** The chat as a numeric chat ref: a bare id (any kind), `-100<id>` (channel) or `-<id>` (group). */
  chat: string;
  messageId: number;
}

/** What a --from-file holds: inputs as typed (links, chats) or messages of chats. */
export type FromFile =
  | { format: "lines"; inputs: string[] }
  | { format: "tgpipe" | "tdl"; messages: MessageRef[] };

/**
 * Parses a --from-file's text; `name` is how errors call the file.
 *
 * @throws {UsageError} for a line or message that is not what the format says (exit 2)
 */
export function parseFromFile(text: string, name: string): FromFile {
  const bad = (where: string, why: string) => new UsageError(`Bad --from-file ${name} ${where}: ${why}`);
  if (!text.trimStart().startsWith("{")) return { format: "lines", inputs: _lines(text, bad) };
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch (err) {
    // one broken document (a tdl export) rather than JSON lines: name the line where it breaks
    if (!_parses(text.trimStart().split("\n", 1)[0])) {
      throw bad(`line ${_errorLine(text, err as Error)}`, "not valid JSON (tdl export or messages.jsonl)");
    }
  }
  if (_isObject(whole) && "messages" in whole) return { format: "tdl", messages: _tdl(whole, bad) };
  return { format: "tgpipe", messages: _jsonl(text, bad) };
}

function _parses(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** The line of a JSON.parse error: V8 says "(line L column C)" or "at position P". */
function _errorLine(text: string, err: Error): number {
  const line = /\(line (\d+) column/.exec(err.message);
  if (line) return Number(line[1]);
  const pos = /position (\d+)/.exec(err.message);
  return pos ? text.slice(0, Number(pos[1])).split("\n").length : text.split("\n").length;
}

function _lines(text: string, bad: (where: string, why: string) => UsageError): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    try {
      parseInputs([line]);
    } catch (err) {
      throw bad(`line ${i + 1}`, (err as UsageError).message.replace(/^Bad input:? ?/, ""));
    }
    out.push(line);
  });
  return out;
}

function _jsonl(text: string, bad: (where: string, why: string) => UsageError): MessageRef[] {
  const out: MessageRef[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    let m: unknown;
    try {
      m = JSON.parse(line);
    } catch {
      throw bad(
        `line ${i + 1}`,
        `not a JSON line (messages.jsonl) nor a tdl export: ${excerpt(line, { quote: false })}`,
      );
    }
    if (!_isObject(m) || !_positive(m.id) || !_positive(m.chat_id)) {
      throw bad(
        `line ${i + 1}`,
        `a messages.jsonl line needs a positive "id" and "chat_id": ${excerpt(line, { quote: false })}`,
      );
    }
    // text-only messages have nothing to download
    if (_isObject(m.media)) out.push({ chat: String(m.chat_id), messageId: m.id as number });
  });
  return out;
}

function _tdl(doc: Record<string, unknown>, bad: (where: string, why: string) => UsageError): MessageRef[] {
  // tdl writes the bare id; a marked one (-100<id>, -<id>) says the kind
  const id = doc.id;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id === 0) {
    throw bad(
      "(tdl export)",
      `"id" must be the chat's id, got ${excerpt(JSON.stringify(id) ?? "nothing", { quote: false })}`,
    );
  }
  if (!Array.isArray(doc.messages)) throw bad("(tdl export)", `"messages" must be a list`);
  const chat = String(id);
  const out: MessageRef[] = [];
  doc.messages.forEach((m: unknown, i) => {
    if (!_isObject(m) || !_positive(m.id)) {
      throw bad(
        `messages[${i}]`,
        `a message needs a positive "id": ${excerpt(JSON.stringify(m) ?? "", { quote: false })}`,
      );
    }
    // `tdl chat export --all` lists messages without media as "file": ""
    if (m.file === "") return;
    out.push({ chat, messageId: m.id as number });
  });
  return out;
}

function _isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function _positive(v: unknown): boolean {
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0;
}
