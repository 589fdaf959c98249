/**
 * Whether this process is a `deno compile` binary rather than `deno run` on source files.
 * Compiled binaries serve their modules from a virtual root named `deno-compile-<name>`, and
 * their executable is not the deno CLI itself.
 */
export function isCompiled(moduleUrl: string = import.meta.url, execPath?: string): boolean {
  if (moduleUrl.includes("/deno-compile-") || moduleUrl.includes("\\deno-compile-")) return true;
  const exe = (execPath ?? _execPath()).split(/[\\/]/).at(-1) ?? "";
  return exe !== "" && !/^deno(\.exe)?$/.test(exe);
}

function _execPath(): string {
  try {
    return Deno.execPath();
  } catch {
    // Without --allow-read the path is hidden; module URLs alone then decide.
    return "";
  }
}
