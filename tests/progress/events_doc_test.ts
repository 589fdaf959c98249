import assert from "node:assert/strict";
import { ENVELOPE_FIELDS, EVENT_SCHEMA, type FieldSchema } from "../../lib/progress/event_schema.ts";

const DOC = new URL("../../docs/events.md", import.meta.url);

interface DocRow {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

/** Splits docs/events.md into `## Envelope` and `### <type>` sections, each with its table rows. */
function parseDoc(text: string): Map<string, DocRow[]> {
  const sections = new Map<string, DocRow[]>();
  let current: DocRow[] | undefined;
  for (const line of text.split("\n")) {
    const heading = line.match(/^(##|###) (.+)$/);
    if (heading) {
      current = heading[1] === "###" || heading[2] === "Envelope" ? [] : undefined;
      if (current) sections.set(heading[2].trim(), current);
      continue;
    }
    if (!current || !line.startsWith("|")) continue;
    const cells = line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replaceAll("\\|", "|"));
    if (cells[0] === "field" || /^-+$/.test(cells[0])) continue;
    assert.equal(cells.length, 4, `table row with 4 cells: ${line}`);
    current.push({ name: cells[0], type: cells[1], required: cells[2] === "yes", description: cells[3] });
  }
  return sections;
}

function expected(fields: readonly FieldSchema[]): DocRow[] {
  return fields.map((f) => ({
    name: f.name,
    type: f.values ? `${f.type}: ${f.values.map((v) => `"${v}"`).join(" | ")}` : f.type,
    required: f.required,
    description: f.description,
  }));
}

Deno.test("docs/events.md documents exactly the schema's types, in order", async () => {
  const doc = parseDoc(await Deno.readTextFile(DOC));
  assert.deepEqual([...doc.keys()], ["Envelope", ...EVENT_SCHEMA.map((t) => t.type)]);
});

Deno.test("docs/events.md tables match the schema's fields (regenerate: scripts/gen_events_doc.ts)", async () => {
  const doc = parseDoc(await Deno.readTextFile(DOC));
  assert.deepEqual(doc.get("Envelope"), expected(ENVELOPE_FIELDS));
  for (const t of EVENT_SCHEMA) assert.deepEqual(doc.get(t.type), expected(t.fields), t.type);
});

Deno.test("the doc parser notices a missing field row", async () => {
  const text = (await Deno.readTextFile(DOC)).replace(/^\| exit_code .*\n/m, "");
  const doc = parseDoc(text);
  const total = [...doc.values()].reduce((n, rows) => n + rows.length, 0);
  const want = ENVELOPE_FIELDS.length + EVENT_SCHEMA.reduce((n, t) => n + t.fields.length, 0);
  assert.equal(total, want - 1);
});
