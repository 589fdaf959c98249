/**
 * What `tgpipe grab` offers, as plain names: the CLI's help and flag checks read them here without
 * loading the grab engine (start-up stays small); lib/grab builds on the same lists.
 */

/** The audio formats `--audio` converts to. */
export const AUDIO_FORMATS = ["mp3", "m4a", "opus"] as const;

/** One of {@link AUDIO_FORMATS}. */
export type AudioFormat = typeof AUDIO_FORMATS[number];

/** The platforms of lib/grab's registry, by name, in its order (a test keeps them equal). */
export const PLATFORM_NAMES = ["YouTube", "Instagram", "TikTok", "Snapchat", "Likee", "Any page"] as const;
