import { Command } from "@commander-js/extra-typings";
import { maskSecret, SETTING_DEFS } from "../../core/settings.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

/** `tgpipe config show`: the resolved settings, secrets masked, with where each came from. */
export function configCommand(io: CliIo, state: CliState): AnyCommand {
  const cmd = new Command("config").description("Inspect tgpipe's settings")
    .addHelpText("after", "\nExamples:\n  tgpipe config show\n  TGPIPE_KV=/tmp/p.kv tgpipe config show");
  cmd.command("show")
    .description("Print the resolved settings (flags > env > config file > defaults), secrets masked")
    .addHelpText("after", "\nExamples:\n  tgpipe config show\n  tgpipe --json config show | jq .data")
    .action(makeAction(io, state, (rt) => {
      const rows = SETTING_DEFS.map((d) => {
        const raw = rt.settings[d.key];
        const value = d.secret ? maskSecret(raw as string | undefined) : raw;
        return { key: d.file, value: value ?? null, source: rt.sources[d.key], env: d.env };
      });
      rt.result("config", { config_file: rt.configPath, settings: rows }, () => {
        const w = Math.max(...rows.map((r) => r.key.length));
        const lines = rows.map((r) =>
          `${r.key.padEnd(w)}  ${r.value === null ? "-" : String(r.value)}  (${r.source})`
        );
        return `config file: ${rt.configPath}\n${lines.join("\n")}\n`;
      });
      return Promise.resolve();
    }));
  return cmd;
}
