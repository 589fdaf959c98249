/** A command with its options and subcommands, as completion scripts see it. */
export interface CompletionNode {
  name: string;
  description: string;
  options: Array<{ flag: string; description: string }>;
  commands: CompletionNode[];
}

/** Renders a completion script for bash, zsh or fish from the command tree. */
export function completionScript(shell: "bash" | "zsh" | "fish", root: CompletionNode): string {
  if (shell === "fish") return _fish(root);
  // zsh runs the bash script through bashcompinit, which keeps one generator for both.
  const cases = _paths(root, []).map(({ path, node }) => {
    const words = [...node.commands.map((c) => c.name), ...node.options.map((o) => o.flag)].join(" ");
    return `    "${path.join(" ")}") words="${words}" ;;`;
  });
  const bash = `_tgpipe() {
  local cur path="" w
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$w" in -*) ;; *) path="\${path:+$path }$w" ;; esac
  done
  local words=""
  case "$path" in
${cases.join("\n")}
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _tgpipe tgpipe
`;
  return shell === "zsh" ? `#compdef tgpipe\nautoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}

function _paths(node: CompletionNode, prefix: string[]): Array<{ path: string[]; node: CompletionNode }> {
  const out = [{ path: prefix, node }];
  for (const c of node.commands) out.push(..._paths(c, [...prefix, c.name]));
  return out;
}

function _fish(root: CompletionNode): string {
  const lines = ["complete -c tgpipe -f"];
  for (const { path, node } of _paths(root, [])) {
    const cond = path.length === 0 ? "__fish_use_subcommand" : `__fish_seen_subcommand_from ${path.at(-1)}`;
    for (const c of node.commands) {
      lines.push(`complete -c tgpipe -n '${cond}' -a ${c.name} -d '${_q(c.description)}'`);
    }
    for (const o of node.options) {
      if (!o.flag.startsWith("--")) continue;
      lines.push(`complete -c tgpipe -n '${cond}' -l ${o.flag.slice(2)} -d '${_q(o.description)}'`);
    }
  }
  return lines.join("\n") + "\n";
}

function _q(s: string): string {
  return s.replaceAll("'", "\\'");
}
