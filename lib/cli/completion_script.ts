/** A command with its options and subcommands, as completion scripts see it. */
export interface CompletionNode {
  name: string;
  aliases?: string[];
  description: string;
  options: Array<{ flag: string; description: string; takesValue?: boolean; choices?: readonly string[] }>;
  commands: CompletionNode[];
}

/**
 * Renders a completion script for bash, zsh or fish from the command tree. The scripts walk the
 * words typed so far through the tree (subcommands and their aliases; chats, paths and option
 * values are stepped over), offer an option's choices after it, files after an option that takes
 * a value, and the node's options after a `-`.
 */
export function completionScript(shell: "bash" | "zsh" | "fish", root: CompletionNode): string {
  if (shell === "fish") return _fish(root);
  // zsh runs the bash script through bashcompinit, which keeps one generator for both.
  const nodes = _paths(root, []);
  const children = nodes.flatMap(({ path, node }) =>
    node.commands.map((c) => {
      const key = [c.name, ...c.aliases ?? []].map((n) => `"${path.join(" ")}|${n}"`).join("|");
      return `    ${key}) echo "${[...path, c.name].join(" ")}" ;;`;
    })
  );
  const valued = new Set(
    nodes.flatMap(({ node }) => node.options.filter((o) => o.takesValue).map((o) => o.flag)),
  );
  const choices = nodes.flatMap(({ path, node }) =>
    node.options.filter((o) => o.choices && o.choices.length > 0).map((o) =>
      `    "${path.join(" ")}|${o.flag}") words="${o.choices!.join(" ")}" ;;`
    )
  );
  const words = nodes.map(({ path, node }) => {
    const subs = node.commands.flatMap((c) => [c.name, ...c.aliases ?? []]).join(" ");
    const opts = node.options.map((o) => o.flag).join(" ");
    return `    "${path.join(" ")}") subs="${subs}"; opts="${opts}" ;;`;
  });
  const bash = `_tgpipe_child() {
  case "$1|$2" in
${children.join("\n")}
  esac
}
_tgpipe() {
  local cur prev node="" w i next skip=""
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ -n "$skip" ]]; then skip=""; continue; fi
    case " ${[...valued].join(" ")} " in *" $w "*) skip=1; continue ;; esac
    next="$(_tgpipe_child "$node" "$w")"
    [[ -n "$next" ]] && node="$next"
  done
  local words="" subs="" opts=""
  case "$node|$prev" in
${choices.join("\n")}
  esac
  if [[ -n "$words" ]]; then
    COMPREPLY=( $(compgen -W "$words" -- "$cur") )
    return
  fi
  # an option that takes a value: leave it to the shell's file completion (-o default)
  case " ${[...valued].join(" ")} " in *" $prev "*) COMPREPLY=(); return ;; esac
  case "$node" in
${words.join("\n")}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -W "$subs" -- "$cur") )
  fi
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
  const lines: string[] = [];
  for (const { path, node } of _paths(root, [])) {
    const names = path.length === 0 ? [] : _namesOf(root, path);
    const cond = path.length === 0
      ? "__fish_use_subcommand"
      : `__fish_seen_subcommand_from ${names.join(" ")}`;
    for (const c of node.commands) {
      for (const n of [c.name, ...c.aliases ?? []]) {
        // -f here only: a subcommand name is no file (elsewhere files stay on, for paths)
        lines.push(`complete -c tgpipe -f -n '${cond}' -a ${n} -d '${_q(c.description)}'`);
      }
    }
    for (const o of node.options) {
      if (!o.flag.startsWith("--")) continue;
      const arg = o.choices && o.choices.length > 0
        ? ` -x -a '${o.choices.join(" ")}'`
        : o.takesValue
        ? " -r"
        : "";
      lines.push(`complete -c tgpipe -n '${cond}' -l ${o.flag.slice(2)}${arg} -d '${_q(o.description)}'`);
    }
  }
  return lines.join("\n") + "\n";
}

/** The names (with aliases) of the last command on `path`. */
function _namesOf(root: CompletionNode, path: string[]): string[] {
  let node = root;
  for (const p of path) node = node.commands.find((c) => c.name === p)!;
  return [node.name, ...node.aliases ?? []];
}

function _q(s: string): string {
  return s.replaceAll("'", "\\'");
}
