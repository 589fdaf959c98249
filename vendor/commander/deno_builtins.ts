/**
 * Deno-native stand-ins for the node: builtins commander imports (node:events, node:process,
 * node:util, node:path, node:fs, node:child_process). Importing any node: builtin makes Deno load
 * its Node compatibility layer, which costs more than an empty `deno run` by itself; tgpipe's
 * `--help` must not pay it (docs/startup-performance.md). Only what commander uses is here.
 */

type Listener = (...args: unknown[]) => void;

/** The part of node's EventEmitter commander uses: on, emit, listenerCount. */
export class EventEmitter {
  readonly #listeners = new Map<string | symbol, Listener[]>();

  /** Adds a listener for `name`; returns this for chaining, like node's. */
  on(name: string | symbol, listener: Listener): this {
    const list = this.#listeners.get(name);
    if (list) list.push(listener);
    else this.#listeners.set(name, [listener]);
    return this;
  }

  /** Calls the listeners of `name` in order with `this` bound; true when there were any. */
  emit(name: string | symbol, ...args: unknown[]): boolean {
    const list = this.#listeners.get(name);
    if (!list?.length) return false;
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  }

  /** How many listeners `name` has. */
  listenerCount(name: string | symbol): number {
    return this.#listeners.get(name)?.length ?? 0;
  }
}

// CSI and OSC sequences, as node's util.stripVTControlCharacters removes them
const ANSI =
  // deno-lint-ignore no-control-regex
  /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-ntqry=><~]))/g;

/** node:util's stripVTControlCharacters. */
export function stripVTControlCharacters(text: string): string {
  return text.replace(ANSI, "");
}

const encoder = new TextEncoder();

function _stream(file: typeof Deno.stdout) {
  return {
    write(text: string): boolean {
      const data = encoder.encode(text);
      let off = 0;
      while (off < data.length) off += file.writeSync(data.subarray(off));
      return true;
    },
    get isTTY(): boolean {
      return file.isTerminal();
    },
    get columns(): number | undefined {
      try {
        return Deno.consoleSize().columns;
      } catch {
        return undefined;
      }
    },
    hasColors(): boolean {
      return file.isTerminal() && Deno.env.get("TERM") !== "dumb";
    },
  };
}

/** The part of node's process commander reads: streams, env, argv, exit. */
export const process = {
  stdout: _stream(Deno.stdout),
  stderr: _stream(Deno.stderr),
  get env(): Record<string, string> {
    return Deno.env.toObject();
  },
  get argv(): string[] {
    return [Deno.execPath(), Deno.mainModule, ...Deno.args];
  },
  execArgv: [] as string[],
  versions: {} as Record<string, string>,
  platform: Deno.build.os === "windows" ? "win32" : Deno.build.os,
  get exitCode(): number {
    return Deno.exitCode;
  },
  exit(code?: number): never {
    Deno.exit(code);
  },
  on(): void {
    _noExecutables();
  },
};

// Commander uses path, fs and child_process only for "executable subcommands" (a command run as a
// separate program file) and nameFromFilename(); tgpipe defines every command in-process.
function _noExecutables(): never {
  throw new Error("Executable subcommands are not available in tgpipe's commander");
}

/** node:path as far as executable subcommands need it: not available. */
export const path = {
  resolve: _noExecutables,
  dirname: _noExecutables,
  basename: _noExecutables,
  extname: _noExecutables,
};
/** node:fs as far as executable subcommands need it: not available. */
export const fs = { existsSync: _noExecutables, realpathSync: _noExecutables };
/** node:child_process as far as executable subcommands need it: not available. */
export const childProcess = { spawn: _noExecutables };
