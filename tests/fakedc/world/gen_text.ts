/** Realistic generated message text with every kind of entity (offsets in UTF-16 code units). */
import type { WEntity } from "./types.ts";
import { pick } from "./rand.ts";

const WORDS = (
  "the quick brown fox jumps over lazy dog release notes build pipeline deploy server cache " +
  "download upload channel message history export backup archive stream video audio photo " +
  "sticker album forum topic thread comment reply forward telegram bot token session retry " +
  "flood wait migrate chunk offset limit resume progress budget rclone whisper ffmpeg"
).split(" ");
const EMOJI = ["🚀", "🔥", "👍", "🎉", "✨", "😀", "📦", "🧪"];
const LANGS = ["ts", "python", "go", "bash", ""];

/** Appends text pieces and records entities at UTF-16 offsets. */
class TextBuf {
  text = "";
  entities: WEntity[] = [];
  add(s: string, e?: Omit<WEntity, "offset" | "length">): void {
    if (e) this.entities.push({ ...e, offset: this.text.length, length: s.length });
    this.text += s;
  }
}

/** One message text of 1–3 sentences; `mentions` are usernames/ids of world users. */
export function genText(
  rng: () => number,
  mentions: { username?: string; id: bigint }[],
): { text: string; entities: WEntity[] } {
  const t = new TextBuf();
  const sentences = 1 + Math.floor(rng() * 3);
  for (let s = 0; s < sentences; s++) {
    if (s > 0) t.add(rng() < 0.2 ? "\n\n" : " ");
    const n = 4 + Math.floor(rng() * 10);
    for (let i = 0; i < n; i++) {
      if (i > 0) t.add(" ");
      const w = pick(rng, WORDS);
      const word = i === 0 ? w[0].toUpperCase() + w.slice(1) : w;
      if (rng() < 0.12) _decorated(rng, t, word, mentions);
      else t.add(word);
    }
    t.add(rng() < 0.2 ? "!" : ".");
    if (rng() < 0.15) t.add(" " + pick(rng, EMOJI));
  }
  return { text: t.text, entities: t.entities };
}

function _decorated(
  rng: () => number,
  t: TextBuf,
  word: string,
  mentions: { username?: string; id: bigint }[],
): void {
  const u = pick(rng, mentions);
  const kind = Math.floor(rng() * 19);
  switch (kind) {
    case 0:
      return t.add(word, { type: "bold" });
    case 1:
      return t.add(word, { type: "italic" });
    case 2:
      return t.add(word, { type: "underline" });
    case 3:
      return t.add(word, { type: "strikethrough" });
    case 4:
      return t.add(word, { type: "spoiler" });
    case 5:
      return t.add(`${word}()`, { type: "code" });
    case 6:
      return t.add(`const ${word} = 1;\nconsole.log(${word});`, { type: "pre", language: pick(rng, LANGS) });
    case 7:
      return t.add(`https://example.com/${word}?q=${Math.floor(rng() * 1000)}`, { type: "link" });
    case 8:
      return t.add(word, { type: "text_link", url: `https://docs.example.org/${word}` });
    case 9:
      return u.username ? t.add(`@${u.username}`, { type: "mention" }) : t.add(word, { type: "bold" });
    case 10:
      return t.add(word, { type: "mention_name", userId: u.id });
    case 11:
      return t.add(`#${word}`, { type: "hashtag" });
    case 12:
      return t.add(`$${word.slice(0, 4).toUpperCase()}`, { type: "cashtag" });
    case 13:
      return t.add(`/${word}`, { type: "bot_command" });
    case 14:
      return t.add(`${word}@example.com`, { type: "email" });
    case 15:
      return t.add(`+1555${Math.floor(1000000 + rng() * 8999999)}`, { type: "phone" });
    case 16:
      return t.add(`${word} said the ${pick(rng, WORDS)}`, { type: "blockquote" });
    case 17:
      return t.add(pick(rng, EMOJI), {
        type: "custom_emoji",
        documentId: 5368324170671202286n + BigInt(kind),
      });
    default:
      return t.add(`${word} ${pick(rng, EMOJI)}`, { type: "bold" });
  }
}
