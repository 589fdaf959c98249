/**
 * Produces `path` through `<path>.part`: `produce` writes the part file, which is renamed into
 * place only when `produce` succeeds and the file is not empty. On any failure the part file is
 * removed, so a half-written derived file is never left behind. Returns the final size.
 *
 * @example
 * ```ts
 * await writeViaPart("/x/a.srt", (part) => Deno.writeTextFile(part, text));
 * ```
 */
export async function writeViaPart(
  path: string,
  produce: (partPath: string) => Promise<unknown>,
): Promise<number> {
  const part = `${path}.part`;
  try {
    await produce(part);
    const { size } = await Deno.stat(part);
    // ffmpeg can exit 0 having written nothing (e.g. no decodable frame); that is a failure too.
    if (size === 0) throw new Error(`Produced an empty file for ${path}`);
    await Deno.rename(part, path);
    return size;
  } catch (err) {
    await Deno.remove(part).catch(() => {});
    throw err;
  }
}
