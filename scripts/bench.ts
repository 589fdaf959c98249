/** `deno task bench <name> [args]`: runs scripts/bench_<name>.ts (export, download, media, ...). */
const [name, ...rest] = Deno.args;
const available: string[] = [];
for await (const e of Deno.readDir(new URL(".", import.meta.url))) {
  const m = e.name.match(/^bench_(\w+)\.ts$/);
  if (m) available.push(m[1]);
}
if (!name || !available.includes(name)) {
  console.error(`usage: deno task bench <${available.sort().join("|")}> [args]`);
  Deno.exit(2);
}
const child = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "--unstable-kv", new URL(`./bench_${name}.ts`, import.meta.url).pathname, ...rest],
  stdin: "inherit",
  stdout: "inherit",
  stderr: "inherit",
}).spawn();
Deno.exit((await child.status).code);
