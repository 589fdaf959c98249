import type { NoteLayout } from "./export_layout.ts";

/** What one chat export produced. */
export interface ChatExportSummary {
  chat_id: number;
  layout: NoteLayout;
  messages: number;
  notes: number;
  media_files: number;
  media_missing: number;
  first_id?: number;
  last_id?: number;
  first_date?: number;
  last_date?: number;
  /** Notes of the first and last message (without ".md"). */
  first_note?: string;
  last_note?: string;
}
