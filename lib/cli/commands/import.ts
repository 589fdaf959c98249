import { Command, Option } from "@commander-js/extra-typings";
import type { ImportTdesktopResult } from "../../app/import/import_tdesktop.ts";
import { MEDIA_KINDS } from "../../core/message.ts";
import { addMediaFlags, MEDIA_FLAGS_HELP, type MediaFlags, mediaSettings } from "../media_flags.ts";
import { parseMediaKinds } from "../parse_media_kinds.ts";
import { maxRuntimeOption } from "../max_runtime.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe import tdesktop ~/Downloads/Telegram\\ Desktop/ChatExport_2024-05-01 --out vault
  tgpipe import tdesktop ./DataExport_2024-05-01 --out vault --layout day --media photo,video
  tgpipe --json import tdesktop ./export --out vault --media none | jq 'select(.type=="result")'
  tgpipe import tdesktop ./export --out vault --transcribe --whisper-model ~/models/ggml-base.bin --dedup

Reads single-chat and whole-account result.json exports (and folders of exported.json slices).
The output format is the one of \`tgpipe export\`: see docs/export-format.md.`;

/** `tgpipe import tdesktop <dir> --out DIR`: Telegram Desktop JSON export -> notes and JSON lines. */
export function importCommand(io: CliIo, state: CliState): AnyCommand {
  const cmd = new Command("import").description("Import chat history exported by other tools")
    .addHelpText("after", EXAMPLES);
  const sub = cmd.command("tdesktop");
  addMediaFlags(sub)
    .description("Turn a Telegram Desktop JSON export into Markdown notes, messages.jsonl and media")
    .argument("<export-dir>", "folder holding result.json (or exported.json slices)")
    .requiredOption("--out <dir>", "output folder (an Obsidian vault works)")
    .addOption(
      new Option("--layout <layout>", "one note per message (albums grouped) or per day")
        .choices(["message", "day"] as const).default("message" as const),
    )
    .addOption(
      new Option("--media <kinds>", `media to copy: all, none, or a list of ${MEDIA_KINDS.join(",")}`)
        .argParser(parseMediaKinds).default(new Set(MEDIA_KINDS), "all"),
    )
    .addOption(maxRuntimeOption())
    .addHelpText("after", EXAMPLES + "\n" + MEDIA_FLAGS_HELP)
    .action(makeAction(io, state, async (rt, dir, flags) => {
      const { importTdesktop } = await import("../../app/import/import_tdesktop.ts");
      const res = await importTdesktop(dir, {
        out: flags.out,
        layout: flags.layout,
        mediaKinds: flags.media,
        media: mediaSettings(flags as MediaFlags, rt),
        kv: rt.settings.kv,
        createKvParent: rt.sources.kv === "default",
        maxRuntimeMs: flags.maxRuntime,
        emit: rt.emit,
        signal: rt.signal,
      });
      rt.result("import", res, () => _human(res));
      return res.exit_code;
    }));
  return cmd;
}

function _human(r: ImportTdesktopResult): string {
  const missing = r.media_missing > 0 ? `, ${r.media_missing} media not in the export` : "";
  return `Imported ${r.chats.length} chats, ${r.messages} messages, ${r.media_files} media files${missing} into ${r.out}\n`;
}
