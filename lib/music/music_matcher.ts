/** What a recognition attempt found: a track, or no match and why. */
export type MatchResult = MatchFound | NoMatch;

/** A recognised track. */
export interface MatchFound {
  matched: true;
  title: string;
  artist?: string;
  /** Which backend answered ("local" for the library index; an online one names itself). */
  backend: string;
  /** 0..1: how sure the backend is (local: 1 - 2 × bit error rate). */
  confidence: number;
  /** Library file (local backend). */
  path?: string;
  /** Where in the track the query starts, in seconds (negative when it starts before the track). */
  offsetSec?: number;
  /** Bit error rate of the alignment and its length in seconds (local backend). */
  ber?: number;
  overlapSec?: number;
}

/** Nothing recognised. */
export interface NoMatch {
  matched: false;
  backend: string;
  /**
   * "no_match": compared, nothing close enough; "too_short": too little (or too uniform) audio to
   * tell; "empty_library": there is nothing to compare with.
   */
  reason: "no_match" | "too_short" | "empty_library";
  /** The closest alignment seen, for the recognition log (local backend). */
  closest?: { title: string; artist?: string; ber: number; overlapSec: number };
}

/**
 * Recognises the music in an audio or video file. The local library index implements it
 * (LocalMusicMatcher); an online service (AcoustID, ...) can implement it the same way.
 */
export interface MusicMatcher {
  /** Recognises `path` (a voice note, audio file or video note); aborting stops the work. */
  match(path: string, signal?: AbortSignal): Promise<MatchResult>;
}
