/** Asks a question on the terminal and reads one line; input is not echoed when secret. */
export async function promptLine(question: string, opts: { secret: boolean }): Promise<string | undefined> {
  const enc = new TextEncoder();
  await Deno.stderr.write(enc.encode(question));
  if (opts.secret) Deno.stdin.setRaw(true);
  try {
    const buf = new Uint8Array(1);
    const bytes: number[] = [];
    while (true) {
      const n = await Deno.stdin.read(buf);
      if (n === null) return bytes.length ? new TextDecoder().decode(new Uint8Array(bytes)) : undefined;
      const b = buf[0];
      if (b === 3) throw new Deno.errors.Interrupted("Cancelled");
      if (b === 10 || b === 13) break;
      if (b === 127 || b === 8) bytes.pop();
      else bytes.push(b);
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  } finally {
    if (opts.secret) {
      Deno.stdin.setRaw(false);
      await Deno.stderr.write(enc.encode("\n"));
    }
  }
}
