/** Media for generated worlds: every document kind, photos, albums, polls, geo, contacts, big files. */
import type { WBlob, WMedia, WPhotoSize } from "./types.ts";
import type { WorldBuilder } from "./builder.ts";
import { hash32 } from "./rand.ts";

const KINDS = ["photo", "video", "round", "voice", "audio", "sticker", "animation", "file", "album"] as const;

/** Makes generated media with deterministic sizes (bytes come from the blob generator). */
export class GenMedia {
  constructor(
    private readonly b: WorldBuilder,
    private readonly rng: () => number,
    private readonly g: { fileSize: number; minSize: number; photos: number; bigSize: number },
  ) {}

  /** The n-th media of a chat: kinds cycle so every chat has each; an album yields 3 photos. */
  next(date: number, n: number): WMedia[] {
    const kind = this.g.photos ? "photo" : KINDS[n % KINDS.length];
    if (kind === "album") return [0, 1, 2].map(() => this._photo(date));
    if (kind === "photo") return [this._photo(date)];
    const size = this._size(this.g.fileSize);
    const blob = this.b.blob(size);
    const d = Math.max(1, Math.floor(size / 40000));
    const thumb = (w: number, h: number): WPhotoSize => ({
      type: "m",
      w,
      h,
      blob: this.b.blob(1500 + (size % 4000)),
    });
    const doc = (mime: string, attrs: Parameters<WorldBuilder["document"]>[3], t?: WPhotoSize) =>
      ({ kind: "document", doc: this.b.document(date, mime, blob, attrs, t) }) as WMedia;
    switch (kind) {
      case "video":
        return [
          doc("video/mp4", {
            video: { w: 1280, h: 720, duration: d, supportsStreaming: true },
            fileName: `clip_${n}.mp4`,
          }, thumb(320, 180)),
        ];
      case "round":
        return [
          doc(
            "video/mp4",
            { video: { w: 384, h: 384, duration: Math.min(d, 60), round: true } },
            thumb(320, 320),
          ),
        ];
      case "voice":
        return [
          doc("audio/ogg", {
            audio: { duration: d, voice: true, waveform: new Uint8Array([1, 5, 9, 31, 2]) },
          }),
        ];
      case "audio":
        return [
          doc("audio/mpeg", {
            audio: { duration: d, title: `Song ${n}`, performer: "Gen Band" },
            fileName: `song_${n}.mp3`,
          }, thumb(320, 320)),
        ];
      case "sticker":
        return [
          doc("image/webp", { sticker: { alt: "😀" }, imageSize: { w: 512, h: 512 } }, thumb(128, 128)),
        ];
      case "animation":
        return [
          doc(
            "video/mp4",
            { video: { w: 320, h: 240, duration: 2 }, animated: true, fileName: "anim.mp4" },
            thumb(320, 240),
          ),
        ];
      default:
        return [doc("application/pdf", { fileName: `report_${n}.pdf` })];
    }
  }

  /** Non-file media: a poll with results, a location or a contact. */
  extra(_date: number, i: number): WMedia {
    const k = i % 3;
    if (k === 0) {
      return {
        kind: "poll",
        id: BigInt(hash32("poll", i)),
        question: `Which option ${i}?`,
        closed: i % 2 === 0,
        totalVoters: 12,
        answers: [{ text: "Yes", voters: 7, chosen: true }, { text: "No", voters: 5, chosen: false }],
      };
    }
    if (k === 1) return { kind: "geo", lat: 52.52 + (i % 10) / 100, long: 13.405 };
    return { kind: "contact", phone: "15551234567", firstName: "Carol", lastName: "Contact", userId: 0n };
  }

  /** A big document of big_size bytes. */
  big(date: number, i: number): WMedia {
    const doc = this.b.document(date, "video/mp4", this.b.blob(this.g.bigSize), {
      video: { w: 1920, h: 1080, duration: 3600, supportsStreaming: true },
      fileName: `big_${i}.mp4`,
    });
    return { kind: "document", doc };
  }

  private _photo(date: number): WMedia {
    const w = 640 + Math.floor(this.rng() * 1920), h = 480 + Math.floor(this.rng() * 1080);
    const main: WBlob = this.b.blob(this._size(Math.min(this.g.fileSize, 1_500_000)));
    return { kind: "photo", photo: this.b.photo(date, w, h, main) };
  }

  private _size(max: number): number {
    const min = Math.min(this.g.minSize, max);
    if (min > 0) return Math.floor(min + (max - min) * this.rng());
    return Math.max(1, Math.floor(max * (0.5 + 0.5 * this.rng())));
  }
}
