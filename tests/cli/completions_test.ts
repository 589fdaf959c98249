import assert from "node:assert/strict";
import { runCli } from "../_helpers/run_cli.ts";
import { parseHelpCommands } from "../_helpers/command_tree.ts";

async function which(tool: string): Promise<boolean> {
  try {
    const out = await new Deno.Command("sh", { args: ["-c", `command -v ${tool}`], stdout: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

async function syntaxCheck(shell: string, args: string[], script: string): Promise<string | undefined> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_compl_" });
  try {
    await Deno.writeTextFile(`${dir}/script`, script);
    const out = await new Deno.Command(shell, { args: [...args, `${dir}/script`], stderr: "piped" }).output();
    return out.success ? undefined : new TextDecoder().decode(out.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("completions bash: valid bash (bash -n) naming every top-level command", async () => {
  const r = await runCli(["completions", "bash"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /complete .*-F _tgpipe tgpipe/);
  assert.equal(await syntaxCheck("bash", ["-n"], r.stdout), undefined);
  const top = parseHelpCommands((await runCli(["--help"])).stdout);
  assert.ok(top.includes("config"), "root --help lists commands");
  const rootWords = r.stdout.match(/^ {4}""\) subs="([^"]*)"/m)?.[1].split(" ") ?? [];
  for (const name of top) assert.ok(rootWords.includes(name), `bash completion offers ${name}`);
});

Deno.test("completions bash: completing works when sourced in bash", async () => {
  const r = await runCli(["completions", "bash"]);
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_compl_" });
  try {
    await Deno.writeTextFile(`${dir}/c.bash`, r.stdout);
    const probe =
      `source ${dir}/c.bash; COMP_WORDS=(tgpipe config s); COMP_CWORD=2; _tgpipe; echo "\${COMPREPLY[*]}"`;
    const out = await new Deno.Command("bash", { args: ["-c", probe] }).output();
    assert.equal(new TextDecoder().decode(out.stdout).trim(), "show");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("completions bash: options after a chat, aliases, an option's choices, files after a valued option", async () => {
  const r = await runCli(["completions", "bash"]);
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_compl_" });
  try {
    await Deno.writeTextFile(`${dir}/c.bash`, r.stdout);
    const complete = async (...words: string[]) => {
      const arr = words.map((w) => `'${w}'`).join(" ");
      const probe =
        `source ${dir}/c.bash; COMP_WORDS=(tgpipe ${arr}); COMP_CWORD=${words.length}; _tgpipe; ` +
        `printf '%s\\n' "\${COMPREPLY[@]}"`;
      const out = await new Deno.Command("bash", { args: ["-c", probe] }).output();
      return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean);
    };
    const l = await complete("export", "@chan", "--l");
    assert.ok(
      l.includes("--layout") && l.includes("--limit") && l.every((o) => o.startsWith("--l")),
      l.join(" "),
    );
    assert.ok((await complete("dl", "--o")).includes("--out"), "the dl alias completes like download");
    assert.deepEqual(await complete("export", "@chan", "--layout", ""), ["message", "day"]);
    assert.deepEqual(await complete("export", "--out", ""), [], "files: left to the shell");
    assert.ok((await complete("--json", "ex")).includes("export"), "global flags before the command");
    assert.deepEqual(await complete("config", "s"), ["show"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("completions fish: files stay on; choices and aliases offered", async () => {
  const r = await runCli(["completions", "fish"]);
  assert.doesNotMatch(r.stdout, /^complete -c tgpipe -f$/m, "no global -f");
  assert.match(r.stdout, /-l layout -x -a 'message day'/);
  assert.match(r.stdout, /-a dl /);
});

Deno.test("completions zsh and fish: syntax-checked when the shell is installed", async () => {
  for (const [shell, args] of [["zsh", ["-n"]], ["fish", ["--no-execute"]]] as const) {
    const r = await runCli(["completions", shell]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.length > 0);
    if (await which(shell)) assert.equal(await syntaxCheck(shell, [...args], r.stdout), undefined, shell);
  }
});

Deno.test("completions with an unknown or missing shell: exit 2", async () => {
  const r = await runCli(["completions", "powershell"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^error: Unknown shell "powershell"/);
  assert.equal((await runCli(["completions"])).code, 2);
});
