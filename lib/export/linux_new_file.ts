/**
 * Writes a small file whole on Linux without first giving it a `.part` name: the data goes into
 * an unnamed inode (open with O_TMPFILE in the file's folder), which is then linked under its
 * name (linkat through /proc/self/fd). Like `.part` + rename, nobody ever sees the file half
 * written and a crash leaves nothing behind (an unnamed inode is freed with its descriptor), but
 * the kernel creates no second directory entry: on this project's bench machine (ext4) that
 * halved the kernel time of an export's notes (docs/export-performance.md).
 *
 * libc is reached by FFI. `openLinuxNewFile` gives undefined where that is not possible (another
 * OS, no FFI permission, no glibc), and `write` returns false where it cannot do the work (a
 * filesystem without O_TMPFILE, no /proc) or the file exists already: the caller then writes the
 * usual way, which also replaces an existing file whole.
 */
import { openLibc } from "../core/libc.ts";

const O_WRONLY = 0o1;
const O_CLOEXEC = 0o2000000;
const O_TMPFILE = 0o20000000 | 0o200000; // __O_TMPFILE | O_DIRECTORY
const AT_FDCWD = -100;
const AT_SYMLINK_FOLLOW = 0x400;
const ENOENT = 2;
const EINTR = 4;
const EISDIR = 21;
const EOPNOTSUPP = 95;

const SYMBOLS = {
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  linkat: { parameters: ["i32", "buffer", "i32", "buffer", "i32"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

/** Writes new files whole through O_TMPFILE + linkat (see the module comment). */
export interface LinuxNewFile {
  /**
   * Writes `data` as the new file `path`. False: nothing was written (the file exists already, or
   * this way is not possible here), write it the usual way.
   */
  write(path: string, data: Uint8Array): boolean;
}

const encoder = new TextEncoder();

/** `s` as a NUL-terminated C string. */
function _cString(s: string): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(s.length * 3 + 1);
  const { written } = encoder.encodeInto(s, b);
  return b.subarray(0, written + 1);
}

/** The writer, or undefined where libc cannot be reached without asking for a permission. */
export function openLinuxNewFile(): LinuxNewFile | undefined {
  // never prompt: an export run without --allow-ffi writes the usual way
  const c = openLibc(SYMBOLS);
  if (!c) return undefined;
  const errno = () => new Deno.UnsafePointerView(c.__errno_location()!).getInt32();
  let off = false;

  /** Links the unnamed inode `fd` as `path`; the errno on failure. */
  const link = (fd: number, path: string): number =>
    c.linkat(AT_FDCWD, _cString(`/proc/self/fd/${fd}`), AT_FDCWD, _cString(path), AT_SYMLINK_FOLLOW) === 0
      ? 0
      : errno();

  const writeAll = (fd: number, data: Uint8Array): boolean => {
    for (let done = 0; done < data.length;) {
      const n = Number(c.write(fd, data.subarray(done), BigInt(data.length - done)));
      if (n < 0 && errno() === EINTR) continue;
      if (n <= 0) return false;
      done += n;
    }
    return true;
  };

  return {
    write(path, data) {
      if (off) return false;
      const slash = path.lastIndexOf("/");
      const fd = c.open(
        _cString(slash > 0 ? path.slice(0, slash) : slash === 0 ? "/" : "."),
        O_WRONLY | O_TMPFILE | O_CLOEXEC,
        0o666,
      );
      if (fd < 0) {
        // EOPNOTSUPP: the filesystem has no O_TMPFILE; EISDIR: the kernel has none. Anything
        // else (a missing or read-only folder) is this file's: the usual way reports it
        const e = errno();
        if (e === EOPNOTSUPP || e === EISDIR) off = true;
        return false;
      }
      try {
        if (!writeAll(fd, data)) return false;
        const err = link(fd, path);
        if (err === ENOENT) off = true; // no /proc/self/fd to link from
        // EEXIST: a rewrite (resume, --refresh), which the usual way replaces whole
        return err === 0;
      } finally {
        c.close(fd);
      }
    },
  };
}
