/**
 * Writes lib/telegram/early_schema.ts from GramJS's schema (see lib/telegram/early_schema_gen.ts):
 * `deno run -A scripts/gen_early_schema.ts` after a GramJS upgrade.
 */
import { EARLY_SCHEMA_FILE, earlySchemaSource } from "../lib/telegram/early_schema_gen.ts";

await Deno.writeTextFile(EARLY_SCHEMA_FILE, earlySchemaSource());
console.log(`wrote ${EARLY_SCHEMA_FILE.pathname}`);
