/**
 * What the upload engine reads from: a local file, stdin, an HTTP body, a piece of a split file. The
 * engine cuts the bytes into Telegram's parts itself; a source only hands out bytes in order.
 */
export interface UploadSource {
  /** The file name Telegram shows (DocumentAttributeFilename). */
  readonly name: string;
  /** Total bytes when known up front; undefined until the end for stdin or an HTTP body without length. */
  readonly size: number | undefined;
  /** Where the bytes come from, for captions (`{source}`), events and the report: a path or a URL. */
  readonly origin: string;
  /** MIME type when the source knows it (HTTP Content-Type); the engine may still sniff. */
  readonly mime?: string;
  /** True when {@link open} can start past 0 (files; URLs whose origin honours Range). */
  readonly seekable: boolean;
  /**
   * The bytes from `offset` to the end, in chunks of any size. Ends early or throws with a typed
   * error when the source breaks; a source that delivers more or fewer bytes than `size` throws.
   */
  open(offset: number, signal: AbortSignal): AsyncIterable<Uint8Array>;
}
