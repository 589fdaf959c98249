import { Command } from "@commander-js/extra-typings";
import type { AnyCommand, CliIo } from "../runtime.ts";
import { type CompletionNode, completionScript } from "../completion_script.ts";

/** `tgpipe completions bash|zsh|fish`: prints a shell completion script for the whole tree. */
export function completionsCommand(root: AnyCommand, io: CliIo): AnyCommand {
  return new Command("completions")
    .description("Print a shell completion script")
    .argument("<shell>", "bash, zsh or fish")
    .addHelpText(
      "after",
      '\nExamples:\n  tgpipe completions bash > ~/.local/share/bash-completion/completions/tgpipe\n  tgpipe completions zsh > "${fpath[1]}/_tgpipe"\n  tgpipe completions fish > ~/.config/fish/completions/tgpipe.fish',
    )
    .action((shell) => {
      if (shell !== "bash" && shell !== "zsh" && shell !== "fish") {
        root.error(`error: unknown shell "${shell}" (use bash, zsh or fish)`, { exitCode: 2 });
      }
      io.stdout(completionScript(shell as "bash" | "zsh" | "fish", _tree(root)));
    });
}

function _tree(cmd: AnyCommand): CompletionNode {
  return {
    name: cmd.name(),
    aliases: cmd.aliases(),
    description: cmd.description(),
    options: cmd.options.filter((o) => !o.hidden).map((o) => ({
      flag: o.long ?? o.short ?? "",
      description: o.description,
      takesValue: o.required || o.optional,
      choices: o.argChoices,
    })),
    commands: cmd.commands.map((c) => _tree(c)),
  };
}
