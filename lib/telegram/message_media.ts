/** The file-carrying media of any message, service messages included. */
import { Api } from "telegram";

/**
 * A message's media; for a chat photo change or a suggested profile photo (messageActionChatEditPhoto,
 * messageActionSuggestProfilePhoto) the photo as MessageMediaPhoto, so it maps, downloads and
 * refreshes like any photo. Undefined without one.
 */
export function messageMedia(m: Api.TypeMessage): Api.TypeMessageMedia | undefined {
  if (m instanceof Api.Message) return m.media;
  if (!(m instanceof Api.MessageService)) return undefined;
  const a = m.action;
  if (a instanceof Api.MessageActionChatEditPhoto || a instanceof Api.MessageActionSuggestProfilePhoto) {
    return new Api.MessageMediaPhoto({ photo: a.photo });
  }
  return undefined;
}
