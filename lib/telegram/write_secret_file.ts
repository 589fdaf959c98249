/**
 * Writes a file that holds a secret (a session, auth keys) so that nobody else can read it, not even
 * for a moment, and no reader ever sees half of it: its folder is created 0700 when missing, the text
 * goes to a temp file of its own beside it (`<file>.<uuid>.part`, created 0600; two writers at once
 * never share one), is synced, then renamed over `file`: the last rename wins. On any failure the temp
 * file is removed and an existing `file` is left as it was.
 */
export async function writeSecretFile(file: string, text: string): Promise<void> {
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir || "/", { recursive: true, mode: 0o700 });
  const part = `${file}.${crypto.randomUUID()}.part`;
  try {
    const f = await Deno.open(part, { write: true, createNew: true, mode: 0o600 });
    try {
      const data = new TextEncoder().encode(text);
      for (let off = 0; off < data.length;) off += await f.write(data.subarray(off));
      await f.sync();
    } finally {
      f.close();
    }
    await Deno.rename(part, file);
  } catch (err) {
    await Deno.remove(part).catch(() => {});
    throw err;
  }
}
