/**
 * What `download` will fetch: inputs parsed (message links, ranges, chats), filters checked, and
 * the files listed from Telegram. Bad input fails here, before any byte is written (exit 2).
 */
import { UsageError } from "../../core/errors.ts";
import { excerpt } from "../../core/format.ts";
import { fileExt } from "../../core/name_template.ts";
import { MEDIA_KINDS, type MediaKind } from "../../core/message.ts";
import type { TgClient } from "../../telegram/client.ts";
import { type MessageLink, parseChatSpec, parseMessageLink } from "../../telegram/links.ts";
import { fetchMessageFiles, historyFiles, type MessageFileResult } from "../../telegram/media_messages.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";
import { resolveChat, type ResolvedChat } from "../../telegram/resolve_chat.ts";

/** Which files of a chat to take. */
export interface DownloadFilter {
  types?: MediaKind[];
  minSize?: number;
  maxSize?: number;
  /** Unix seconds: only messages at or after / before. */
  after?: number;
  before?: number;
  /** Regular expression tested on the file name and the caption. */
  match?: string;
  /** At most this many files per chat. */
  limit?: number;
  /** Only messages with an id above this one (sync's watermark). */
  minId?: number;
  /** Only files with these extensions (lowercase, no dot), e.g. ["mp4", "jpg"]. */
  include?: string[];
  /** Never files with these extensions. */
  exclude?: string[];
}

/** One parsed input. */
export type DownloadInput =
  /** `listed`: one of many messages of a --from-file: filtered like a chat's, skipped without a file. */
  | { kind: "link"; text: string; link: MessageLink; listed?: boolean }
  | { kind: "chat"; text: string };

/** A planned file, or a requested message that has none. */
export type PlannedItem =
  | { item: string; file: RemoteFile }
  | { item: string; problem: { code: string; message: string } };

const MAX_RANGE = 10_000;

/** Parses every input; UsageError (exit 2) names the first bad one. */
export function parseInputs(texts: string[]): DownloadInput[] {
  if (texts.length === 0) throw new UsageError("Nothing to download: give message links or chats");
  return texts.map((text) => {
    const t = text.trim();
    try {
      if (
        /^(https?:\/\/|tg:\/\/|(www\.)?(t\.me|telegram\.me|telegram\.dog)\/)/i.test(t) &&
        /\/\d[\d-]*\/?$/.test(t)
      ) {
        const link = parseMessageLink(t);
        if (link.to - link.from >= MAX_RANGE) {
          throw new RangeError(`Range of more than ${MAX_RANGE} messages`);
        }
        return { kind: "link", text: t, link };
      }
      if (/^tg:\/\//i.test(t) && /[?&]post=/.test(t)) {
        return { kind: "link", text: t, link: parseMessageLink(t) };
      }
      if (/^[a-z]+:\/\//i.test(t) && !/^https?:\/\/(www\.)?(t\.me|telegram\.me|telegram\.dog)\//i.test(t)) {
        throw new RangeError("not a Telegram link");
      }
      parseChatSpec(t);
      return { kind: "chat", text: t };
    } catch (err) {
      // the parsers quote the input already: say it once, and briefly
      const message = (err as Error).message.replaceAll(JSON.stringify(text), excerpt(text));
      throw new UsageError(
        message.includes(excerpt(text)) ? `Bad input: ${message}` : `Bad input ${excerpt(text)}: ${message}`,
        { input: text },
      );
    }
  });
}

/** The inputs of messages listed in a --from-file (each its chat's numeric ref and message id). */
export function listedInputs(messages: ReadonlyArray<{ chat: string; messageId: number }>): DownloadInput[] {
  return messages.map((m) => {
    const chat = parseChatSpec(m.chat);
    if (chat.type !== "id") throw new RangeError(`Not a numeric chat id: ${m.chat}`);
    return {
      kind: "link",
      text: `${m.chat}/${m.messageId}`,
      link: { chat, from: m.messageId, to: m.messageId },
      listed: true,
    };
  });
}

/** Checks filter values; returns the compiled --match regex. */
export function checkFilter(f: DownloadFilter): RegExp | undefined {
  for (const t of f.types ?? []) {
    if (!MEDIA_KINDS.includes(t)) {
      throw new UsageError(`Unknown --type ${t} (known: ${MEDIA_KINDS.join(", ")})`);
    }
  }
  if (f.limit !== undefined && !(Number.isInteger(f.limit) && f.limit > 0)) {
    throw new UsageError("--limit must be a positive integer");
  }
  if (f.match === undefined) return undefined;
  try {
    return new RegExp(f.match, "i");
  } catch (err) {
    throw new UsageError(`Bad --match regex: ${(err as Error).message}`);
  }
}

/** Whether a file passes the filter. */
export function keepFile(file: RemoteFile, f: DownloadFilter, match: RegExp | undefined): boolean {
  if (!keepExt(file, f)) return false;
  if (f.types?.length && !f.types.includes(file.mediaType)) return false;
  if (f.minSize !== undefined && file.size < f.minSize) return false;
  if (f.maxSize !== undefined && file.size > f.maxSize) return false;
  if (f.after !== undefined && file.date < f.after) return false;
  if (f.before !== undefined && file.date >= f.before) return false;
  if (match && !match.test(`${file.fileName ?? ""}\n${file.caption}`)) return false;
  return true;
}

/** Whether a file passes --include/--exclude (the one filter a single message link obeys too). */
export function keepExt(file: RemoteFile, f: DownloadFilter): boolean {
  if (!f.include?.length && !f.exclude?.length) return true;
  const ext = fileExt({ ...file, type: file.mediaType }).toLowerCase();
  if (f.include?.length && !f.include.includes(ext)) return false;
  return !f.exclude?.includes(ext);
}

/** Resolves the inputs' chats (NotFoundError, exit 2, for an unknown one) and lists their files. */
export async function planItems(
  client: TgClient,
  inputs: DownloadInput[],
  opts: { filter: DownloadFilter; signal?: AbortSignal },
): Promise<PlannedItem[]> {
  const match = checkFilter(opts.filter);
  const chats = new Map<string, ResolvedChat>();
  const chatOf = async (ref: string) => {
    let c = chats.get(ref);
    if (!c) chats.set(ref, c = await resolveChat(client, ref, { signal: opts.signal }));
    return c;
  };
  const out: PlannedItem[] = [];
  const seen = new Set<string>();
  const push = (p: PlannedItem) => {
    if (!seen.has(p.item)) (seen.add(p.item), out.push(p));
  };
  // Every link's messages of one chat are fetched in one batch (100 per request), the chats side by
  // side: a --from-file of 100 links used to be 100 round trips in a row before the first byte.
  const linkRef = (spec: Extract<DownloadInput, { kind: "link" }>["link"]["chat"]) =>
    spec.type === "username"
      ? `@${spec.username}`
      : spec.type === "id"
      ? (spec.peer === "channel" ? `-100${spec.id}` : spec.peer === "chat" ? `-${spec.id}` : `${spec.id}`)
      : "me";
  const linkIds = new Map<string, Set<number>>();
  for (const input of inputs) {
    if (input.kind !== "link") continue;
    const ref = linkRef(input.link.chat);
    await chatOf(ref);
    const ids = linkIds.get(ref) ?? new Set<number>();
    for (let id = input.link.from; id <= input.link.to; id++) ids.add(id);
    linkIds.set(ref, ids);
  }
  const fetched = new Map<string, Map<number, MessageFileResult>>();
  await Promise.all([...linkIds].map(async ([ref, ids]) => {
    const rs = await fetchMessageFiles(client, chats.get(ref)!, [...ids], { signal: opts.signal });
    fetched.set(ref, new Map(rs.map((r) => [r.id, r])));
  }));
  for (const input of inputs) {
    if (input.kind === "link") {
      const ref = linkRef(input.link.chat);
      const chat = chats.get(ref)!;
      const single = input.link.from === input.link.to && !input.listed;
      for (let id = input.link.from; id <= input.link.to; id++) {
        const r = fetched.get(ref)!.get(id)!;
        const item = `${chat.id}/${r.id}`;
        if ("file" in r) {
          if (single ? keepExt(r.file, opts.filter) : keepFile(r.file, opts.filter, match)) {
            push({ item, file: r.file });
          }
        } else if (single) {
          const message = r.problem === "deleted"
            ? `Message ${r.id} of ${chat.title} does not exist (deleted?)`
            : `Message ${r.id} of ${chat.title} has no file to download`;
          push({
            item,
            problem: { code: r.problem === "deleted" ? "MESSAGE_NOT_FOUND" : "NO_MEDIA", message },
          });
        }
      }
      continue;
    }
    const chat = await chatOf(input.text);
    let n = 0;
    for await (
      const file of historyFiles(client, chat, {
        offsetDate: opts.filter.before,
        minDate: opts.filter.after,
        minId: opts.filter.minId,
        signal: opts.signal,
      })
    ) {
      if (!keepFile(file, opts.filter, match)) continue;
      push({ item: `${chat.id}/${file.messageId}`, file });
      if (opts.filter.limit !== undefined && ++n >= opts.filter.limit) break;
    }
  }
  return out;
}
