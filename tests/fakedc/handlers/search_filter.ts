/** messages.search filters (InputMessagesFilter*) as predicates on world messages. */
import type { WMessage } from "../world/types.ts";

/** The predicate for a filter class name; unknown filters match nothing, like an empty result. */
export function searchFilter(cls: string): (m: WMessage) => boolean {
  const doc = (m: WMessage) => (m.media?.kind === "document" ? m.media.doc.attrs : undefined);
  switch (cls) {
    case "InputMessagesFilterEmpty":
      return () => true;
    case "InputMessagesFilterPhotos":
      return (m) => m.media?.kind === "photo";
    case "InputMessagesFilterVideo":
      return (m) => !!doc(m)?.video && !doc(m)?.video?.round && !doc(m)?.animated;
    case "InputMessagesFilterPhotoVideo":
      return (m) =>
        m.media?.kind === "photo" || (!!doc(m)?.video && !doc(m)?.video?.round && !doc(m)?.animated);
    case "InputMessagesFilterDocument":
      return (m) =>
        m.media?.kind === "document" && !doc(m)?.sticker && !doc(m)?.audio?.voice && !doc(m)?.video?.round;
    case "InputMessagesFilterVoice":
      return (m) => !!doc(m)?.audio?.voice;
    case "InputMessagesFilterMusic":
      return (m) => !!doc(m)?.audio && !doc(m)?.audio?.voice;
    case "InputMessagesFilterRoundVideo":
      return (m) => !!doc(m)?.video?.round;
    case "InputMessagesFilterRoundVoice":
      return (m) => !!doc(m)?.video?.round || !!doc(m)?.audio?.voice;
    case "InputMessagesFilterGif":
      return (m) => !!doc(m)?.animated;
    case "InputMessagesFilterUrl":
      return (m) => m.entities.some((e) => e.type === "link" || e.type === "text_link");
    case "InputMessagesFilterGeo":
      return (m) => m.media?.kind === "geo";
    case "InputMessagesFilterContacts":
      return (m) => m.media?.kind === "contact";
    case "InputMessagesFilterPoll":
      return (m) => m.media?.kind === "poll";
    case "InputMessagesFilterChatPhotos":
      return (m) => m.action?.type === "edit_group_photo" && m.action.photo !== undefined;
    case "InputMessagesFilterPinned":
      return (m) => !!m.pinned;
    default:
      return () => false;
  }
}
