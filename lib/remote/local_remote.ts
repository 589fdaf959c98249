/**
 * A local directory as a sync target (a mounted disk, a NAS): files are written as `<name>.part`
 * and renamed into place, so the target never holds a short file under a final name.
 */
import { dirname, join, relative, sep as SEPARATOR } from "node:path";
import { errnoCode } from "../core/errors.ts";
import { hashLocal } from "./hash_local.ts";
import {
  CHECKED_HASHES,
  type Remote,
  type RemoteCallOptions,
  type RemoteEntry,
  type RemoteInfo,
  type RemotePutOptions,
} from "./remote.ts";
import { RemoteAuthError, RemoteMissingError, RemoteQuotaError } from "./remote_errors.ts";

/** A local directory target (see module comment). */
export class LocalRemote implements Remote {
  readonly target: string;

  constructor(dir: string) {
    if (dir === "") throw new RangeError("Empty target directory");
    this.target = dir;
  }

  async check(_opts: RemoteCallOptions = {}): Promise<RemoteInfo> {
    try {
      await Deno.mkdir(this.target, { recursive: true });
      // a read-only mount lists fine but fails at the first file: find out now
      const probe = join(this.target, `.tgpipe-probe-${crypto.randomUUID()}`);
      await Deno.writeFile(probe, new Uint8Array());
      await Deno.remove(probe);
    } catch (err) {
      throw this.#error(err, "");
    }
    return { target: this.target, hashes: [...CHECKED_HASHES], canStream: true };
  }

  async upload(local: string, path: string, opts: RemotePutOptions = {}): Promise<void> {
    await this.#place(path, async (part) => {
      opts.signal?.throwIfAborted();
      await Deno.copyFile(local, part);
    });
    opts.onProgress?.((await Deno.stat(local)).size);
  }

  async rcat(
    stream: ReadableStream<Uint8Array>,
    path: string,
    opts: RemotePutOptions & { size?: number } = {},
  ): Promise<void> {
    await this.#place(path, async (part) => {
      using f = await Deno.open(part, { write: true, create: true, truncate: true });
      let done = 0;
      for await (const chunk of stream) {
        opts.signal?.throwIfAborted();
        for (let off = 0; off < chunk.length;) off += await f.write(chunk.subarray(off));
        opts.onProgress?.(done += chunk.length);
      }
    });
  }

  async list(_opts: RemoteCallOptions = {}): Promise<RemoteEntry[]> {
    const out: RemoteEntry[] = [];
    const walk = async (dir: string) => {
      let entries: Deno.DirEntry[];
      try {
        entries = await Array.fromAsync(Deno.readDir(dir));
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) return;
        throw this.#error(err, dir);
      }
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory) await walk(full);
        else if (e.isFile && !e.name.endsWith(".part")) {
          out.push({
            path: relative(this.target, full).split(SEPARATOR).join("/"),
            size: (await Deno.stat(full)).size,
          });
        }
      }
    };
    await walk(this.target);
    return out.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  }

  async stat(
    path: string,
    opts: RemoteCallOptions & { hash?: string } = {},
  ): Promise<RemoteEntry | undefined> {
    const full = this.#full(path);
    const info = await Deno.stat(full).catch(() => undefined);
    if (!info?.isFile) return undefined;
    const hashes = opts.hash ? { [opts.hash]: await hashLocal(full, opts.hash, opts.signal) } : undefined;
    return { path, size: info.size, hashes };
  }

  async remove(path: string, _opts: RemoteCallOptions = {}): Promise<void> {
    await Deno.remove(this.#full(path)).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw this.#error(err, path);
    });
  }

  #full(path: string): string {
    const rel = path.replace(/^\/+/, "");
    if (rel.split("/").includes("..")) throw new RangeError(`Path leaves the target: ${path}`);
    return join(this.target, ...rel.split("/"));
  }

  async #place(path: string, write: (part: string) => Promise<void>): Promise<void> {
    const full = this.#full(path);
    const part = `${full}.part`;
    try {
      await Deno.mkdir(dirname(full), { recursive: true });
      await write(part);
      await Deno.rename(part, full);
    } catch (err) {
      await Deno.remove(part).catch(() => {});
      throw this.#error(err, path);
    }
  }

  #error(err: unknown, path: string): unknown {
    const code = errnoCode(err) ?? (err instanceof Deno.errors.PermissionDenied ? "EACCES" : undefined);
    const where = path ? `${this.target} (${path})` : this.target;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
      return new RemoteAuthError(`Cannot write to ${where}: ${(err as Error).message}`, {
        remote: this.target,
      });
    }
    if (code === "ENOTDIR") {
      return new RemoteMissingError(`Target ${where} is not a directory`, { remote: this.target });
    }
    if (code === "ENOSPC" || code === "EDQUOT") {
      return new RemoteQuotaError(`Target ${where} is full, free space and run again`, {
        remote: this.target,
      });
    }
    return err;
  }
}
