/**
 * Real rclone remotes on loopback for tests: `rclone serve sftp|webdav` on a port the OS picks
 * (read back from rclone's "listening on" line), a config file naming it, kill and restart on the
 * same port, and a local-backend remote. Every process started here is killed and awaited by stop().
 */
import { REPO } from "../_helpers/run_cli.ts";

/** A served remote and the config section that reaches it. */
export interface ServedRemote {
  kind: "sftp" | "webdav";
  port: number;
  /** The directory the server serves. */
  root: string;
  /** Kills the server at once (SIGKILL) and awaits it. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  /** Stops it (idempotent). */
  stop(): Promise<void>;
}

/** Options of {@link serveRemote}. */
export interface ServeOptions {
  kind: "sftp" | "webdav";
  root: string;
  /** rclone --bwlimit of the server (e.g. "2M"): makes uploads the slow side. */
  bwlimit?: string;
  readOnly?: boolean;
  user?: string;
  pass?: string;
}

// serve sftp makes its host keys once per cache dir: one dir per test process (test files run side
// by side, and two servers writing the same new key file would race), removed when the process ends
const KEYS = `${REPO}.cache/rclone-test-keys/${Deno.pid}`;
globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(KEYS, { recursive: true });
  } catch { /* never made */ }
});

/** Starts `rclone serve <kind>` on 127.0.0.1 at a port the OS picks. */
export async function serveRemote(o: ServeOptions): Promise<ServedRemote> {
  await Deno.mkdir(o.root, { recursive: true });
  await Deno.mkdir(KEYS, { recursive: true });
  let child: Deno.ChildProcess | undefined;
  let port = 0;
  const start = async () => {
    const args = [
      "serve",
      o.kind,
      o.root,
      "--addr",
      `127.0.0.1:${port}`,
      "--user",
      o.user ?? "u",
      "--pass",
      o.pass ?? "p",
    ];
    if (o.bwlimit) args.push("--bwlimit", o.bwlimit);
    if (o.readOnly) args.push("--read-only");
    child = new Deno.Command("rclone", {
      args: [...args, "--config", "/dev/null", "-v"],
      env: { XDG_CACHE_HOME: KEYS, HOME: KEYS },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    port = await _listeningPort(child);
  };
  await start();
  const kill = async () => {
    if (!child) return;
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await child.status;
    child = undefined;
  };
  return {
    kind: o.kind,
    get port() {
      return port;
    },
    root: o.root,
    kill,
    restart: start,
    stop: kill,
  };
}

/** Reads stderr until rclone says where it listens; keeps draining it afterwards. */
async function _listeningPort(child: Deno.ChildProcess): Promise<number> {
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`rclone serve exited before listening: ${buf.slice(-500)}`);
    buf += value;
    const m = /(?:listening on|started on) (?:https?:\/\/)?127\.0\.0\.1:(\d+)/i.exec(buf);
    if (m) {
      (async () => {
        try {
          while (!(await reader.read()).done) { /* drain */ }
        } catch { /* killed */ }
      })();
      return Number(m[1]);
    }
  }
}

/** rclone's obscured form of a password (for config files). */
export async function obscure(pass: string): Promise<string> {
  const out = await new Deno.Command("rclone", { args: ["obscure", pass], stdout: "piped", stderr: "null" })
    .output();
  return new TextDecoder().decode(out.stdout).trim();
}

/** The config section of a served remote. */
export async function sectionOf(
  name: string,
  s: Pick<ServedRemote, "kind" | "port">,
  pass = "p",
): Promise<string> {
  const p = await obscure(pass);
  if (s.kind === "sftp") {
    return `[${name}]\ntype = sftp\nhost = 127.0.0.1\nport = ${s.port}\nuser = u\npass = ${p}\nshell_type = unix\n`;
  }
  return `[${name}]\ntype = webdav\nurl = http://127.0.0.1:${s.port}/\nvendor = other\nuser = u\npass = ${p}\n`;
}

/** Writes an rclone config with a local-backend remote `loc` plus the given sections. */
export async function writeConfig(path: string, sections: string[] = []): Promise<string> {
  await Deno.writeTextFile(path, ["[loc]\ntype = local\n", ...sections].join("\n"));
  return path;
}
