/**
 * Write worker: writes batches of export notes (lib/export/write_text_batch.ts) for the export's
 * note sink, so file creation runs beside rendering instead of between renders.
 */
import { serveWorker } from "../lib/engine/serve_worker.ts";
import { type TextBatch, writeTextBatch } from "../lib/export/write_text_batch.ts";

// Folders this worker created already: notes of a chat share a few folders.
const dirs = new Set<string>();

serveWorker<TextBatch, number, never>((batch) => Promise.resolve().then(() => writeTextBatch(batch, dirs)));
