/**
 * The only way export code touches storage. Paths are relative to the output root, with "/"
 * separators; implementations must resolve them with safeJoin and make every file appear
 * whole or not at all (write `<file>.part`, then rename).
 */

/** A file being written line by line (messages.jsonl); invisible until committed. */
export interface StreamFile {
  /** Appends text. */
  write(text: string): Promise<void>;
  /** Flushes, closes and renames the file into place. */
  commit(): Promise<void>;
  /** Closes and removes the partial file. */
  abort(): Promise<void>;
}

/** Writes export output atomically. */
export interface ExportWriter {
  /** Writes a whole text file atomically, replacing an existing one. */
  writeText(path: string, text: string, signal?: AbortSignal): Promise<void>;
  /** Starts a streamed file. */
  openStream(path: string): Promise<StreamFile>;
  /** Copies a local file into the output atomically; returns the bytes copied (0 if already there). */
  copyFile(source: string, path: string, signal?: AbortSignal): Promise<number>;
}
