/** The file-carrying media of any message, service messages included. */
import { Api } from "telegram";

/**
 * A message's media; for a chat photo change (messageActionChatEditPhoto) the new photo as
 * MessageMediaPhoto, so it maps, downloads and refreshes like any photo. Undefined without one.
 */
export function messageMedia(m: Api.TypeMessage): Api.TypeMessageMedia | undefined {
  if (m instanceof Api.Message) return m.media;
  if (m instanceof Api.MessageService && m.action instanceof Api.MessageActionChatEditPhoto) {
    return new Api.MessageMediaPhoto({ photo: m.action.photo });
  }
  return undefined;
}
