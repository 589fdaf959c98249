/**
 * Random message media for _history_pages.ts: photos (every size kind), documents (every attribute),
 * locations, venues, contacts, polls, and kinds the mappers skip (web pages, dice, stories).
 */
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram";
import { chance, int, pick, type Rng } from "./_history_random.ts";

function _sizes(r: Rng): Api.TypePhotoSize[] {
  const out: Api.TypePhotoSize[] = [];
  for (let i = int(r, 0, 4); i > 0; i--) {
    const wh = {
      type: pick(r, ["s", "m", "x", "y", "w", "i"]),
      w: int(r, 1, 4) * 320,
      h: int(r, 1, 4) * 240,
    };
    const k = int(r, 0, 5);
    if (k === 0) out.push(new Api.PhotoSize({ ...wh, size: int(r, 0, 200000) }));
    else if (k === 1) {
      out.push(
        new Api.PhotoSizeProgressive({
          ...wh,
          sizes: chance(r, 0.5)
            ? [int(r, 1, 999), int(r, 1000, 90000)]
            : [int(r, 1000, 90000), int(r, 1, 999)],
        }),
      );
    } else if (k === 2) out.push(new Api.PhotoCachedSize({ ...wh, bytes: Buffer.alloc(int(r, 0, 300), 7) }));
    else if (k === 3) out.push(new Api.PhotoStrippedSize({ type: "i", bytes: Buffer.from([1, 2, 3]) }));
    else if (k === 4) out.push(new Api.PhotoPathSize({ type: "j", bytes: Buffer.from([4, 5]) }));
    else out.push(new Api.PhotoSizeEmpty({ type: "s" }));
  }
  if (chance(r, 0.3)) out.push(new Api.PhotoSize({ type: "y", w: 1280, h: 960, size: 1 }));
  return out;
}

/** A random Photo (sometimes PhotoEmpty). */
export function randomPhoto(r: Rng): Api.TypePhoto {
  if (chance(r, 0.1)) return new Api.PhotoEmpty({ id: bigInt(9) });
  return new Api.Photo({
    hasStickers: chance(r, 0.2) || undefined,
    id: bigInt(String(BigInt(int(r, 1, 1e9)) * 1000000007n)),
    accessHash: bigInt(String(-BigInt(int(r, 1, 1e9)) * 99991n)),
    fileReference: Buffer.from(Array.from({ length: int(r, 0, 30) }, () => int(r, 0, 255))),
    date: 1700000000,
    sizes: _sizes(r),
    dcId: int(r, 1, 5),
  });
}

function _attributes(r: Rng): Api.TypeDocumentAttribute[] {
  const out: Api.TypeDocumentAttribute[] = [];
  for (let i = int(r, 0, 4); i > 0; i--) {
    const k = int(r, 0, 7);
    if (k === 0) {
      out.push(new Api.DocumentAttributeFilename({ fileName: pick(r, ["a.pdf", "видео.mp4", "x"]) }));
    } else if (k === 1) out.push(new Api.DocumentAttributeAnimated());
    else if (k === 2) {
      out.push(
        new Api.DocumentAttributeSticker({
          alt: pick(r, ["", "😀"]),
          stickerset: new Api.InputStickerSetEmpty(),
        }),
      );
    } else if (k === 3) {
      out.push(
        new Api.DocumentAttributeVideo({
          roundMessage: chance(r, 0.3) || undefined,
          supportsStreaming: chance(r, 0.5) || undefined,
          duration: pick(r, [0, 1.5, 60, 3599.25]),
          w: int(r, 0, 1920),
          h: int(r, 0, 1080),
          videoCodec: chance(r, 0.3) ? "h264" : undefined,
        }),
      );
    } else if (k === 4) {
      out.push(
        new Api.DocumentAttributeAudio({
          voice: chance(r, 0.5) || undefined,
          duration: int(r, 0, 600),
          title: chance(r, 0.5) ? pick(r, ["", "Song"]) : undefined,
          performer: chance(r, 0.5) ? pick(r, ["", "Band"]) : undefined,
          waveform: chance(r, 0.3) ? Buffer.from([1, 2, 3, 4, 5]) : undefined,
        }),
      );
    } else if (k === 5) {
      out.push(new Api.DocumentAttributeImageSize({ w: int(r, 1, 4000), h: int(r, 1, 4000) }));
    } else if (k === 6) out.push(new Api.DocumentAttributeHasStickers());
    else {
      out.push(
        new Api.DocumentAttributeCustomEmoji({ alt: "x", stickerset: new Api.InputStickerSetEmpty() }),
      );
    }
  }
  return out;
}

function _document(r: Rng): Api.TypeDocument {
  if (chance(r, 0.1)) return new Api.DocumentEmpty({ id: bigInt(3) });
  return new Api.Document({
    id: bigInt(String(BigInt(int(r, 1, 1e9)) * 1000003n)),
    accessHash: bigInt(int(r, -1e9, 1e9)),
    fileReference: Buffer.from(Array.from({ length: int(r, 0, 20) }, () => int(r, 0, 255))),
    date: 1700000000,
    mimeType: pick(r, ["application/pdf", "video/mp4", "audio/ogg", "image/webp", ""]),
    size: bigInt(pick(r, [0, 1, 123456, 4294967296 * 3 + 5])),
    thumbs: chance(r, 0.6) ? _sizes(r) : undefined,
    dcId: int(r, 1, 5),
    attributes: _attributes(r),
  });
}

function _geo(r: Rng): Api.TypeGeoPoint {
  if (chance(r, 0.15)) return new Api.GeoPointEmpty();
  return new Api.GeoPoint({
    long: pick(r, [13.4, -0.1275, 0]),
    lat: pick(r, [52.52, 51.5072, -33.9]),
    accessHash: bigInt(1),
    accuracyRadius: chance(r, 0.5) ? int(r, 0, 100) : undefined,
  });
}

/** Random media of any kind (undefined: none). */
export function randomMedia(r: Rng): Api.TypeMessageMedia | undefined {
  const k = int(r, 0, 15);
  const spoiler = chance(r, 0.2) || undefined;
  if (k <= 2) {
    return new Api.MessageMediaPhoto({ spoiler, photo: chance(r, 0.9) ? randomPhoto(r) : undefined });
  }
  if (k <= 6) {
    return new Api.MessageMediaDocument({
      spoiler,
      video: chance(r, 0.2) || undefined,
      document: chance(r, 0.95) ? _document(r) : undefined,
      videoCover: chance(r, 0.1) ? randomPhoto(r) : undefined,
      videoTimestamp: chance(r, 0.1) ? 5 : undefined,
    });
  }
  if (k === 7) return new Api.MessageMediaGeo({ geo: _geo(r) });
  if (k === 8) {
    return new Api.MessageMediaGeoLive({
      geo: _geo(r),
      period: 900,
      heading: chance(r, 0.5) ? 90 : undefined,
    });
  }
  if (k === 9) {
    return new Api.MessageMediaVenue({
      geo: _geo(r),
      title: "Cafe",
      address: pick(r, ["", "Main St 1"]),
      provider: "foursquare",
      venueId: "4b1",
      venueType: "food",
    });
  }
  if (k === 10) {
    return new Api.MessageMediaContact({
      phoneNumber: pick(r, ["", "+15550001"]),
      firstName: "Ann",
      lastName: pick(r, ["", "Lee"]),
      vcard: pick(r, ["", "BEGIN:VCARD"]),
      userId: bigInt(pick(r, [0, 101])),
    });
  }
  if (k === 11) {
    return new Api.MessageMediaWebPage({
      webpage: new Api.WebPageEmpty({ id: bigInt(1), url: "https://x.y" }),
    });
  }
  if (k === 12) return new Api.MessageMediaDice({ value: 3, emoticon: "🎲" });
  if (k === 13) return new Api.MessageMediaUnsupported();
  if (k === 15) return _poll(r);
  return new Api.MessageMediaStory({ peer: new Api.PeerUser({ userId: bigInt(101) }), id: 5 });
}

function _poll(r: Rng): Api.MessageMediaPoll {
  const text = (t: string) =>
    new Api.TextWithEntities({
      text: t,
      entities: chance(r, 0.2) ? [new Api.MessageEntityBold({ offset: 0, length: 1 })] : [],
    });
  const answers = Array.from(
    { length: int(r, 1, 4) },
    (_, i) => new Api.PollAnswer({ text: text(`answer ${i}`), option: Buffer.from([i]) }),
  );
  const voters = answers.filter(() => chance(r, 0.6)).map((a) =>
    new Api.PollAnswerVoters({
      chosen: chance(r, 0.3) || undefined,
      correct: chance(r, 0.3) || undefined,
      option: a.option,
      voters: int(r, 0, 50),
    })
  );
  // a repeated option: the later results count (map_media.ts's Map)
  if (voters.length && chance(r, 0.2)) {
    voters.push(new Api.PollAnswerVoters({ option: voters[0].option, voters: 77 }));
  }
  return new Api.MessageMediaPoll({
    poll: new Api.Poll({
      id: bigInt(int(r, 1, 1e6)),
      closed: chance(r, 0.3) || undefined,
      publicVoters: chance(r, 0.3) || undefined,
      multipleChoice: chance(r, 0.3) || undefined,
      quiz: chance(r, 0.3) || undefined,
      question: text(pick(r, ["2+2?", "Кто?", ""])),
      answers,
      closePeriod: chance(r, 0.2) ? 60 : undefined,
    }),
    results: new Api.PollResults({
      min: chance(r, 0.2) || undefined,
      results: chance(r, 0.8) ? voters : undefined,
      totalVoters: chance(r, 0.7) ? int(r, 0, 100) : undefined,
      recentVoters: chance(r, 0.2) ? [new Api.PeerUser({ userId: bigInt(101) })] : undefined,
    }),
  });
}
