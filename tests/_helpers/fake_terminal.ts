/**
 * A tiny terminal screen for reporter tests: applies what tgpipe writes (text, newlines, the
 * cursor-up-and-clear sequences the TTY bars use, colours) and shows what a person would see.
 */
export class FakeTerminal {
  #lines: string[] = [""];
  #row = 0;

  /** Applies one write, as a terminal would. */
  write = (text: string): void => {
    // deno-lint-ignore no-control-regex
    const re = /\x1b\[(\d*)([A-Za-z])|\n|[^\x1b\n]+/g;
    for (const m of text.matchAll(re)) {
      const tok = m[0];
      if (tok === "\n") {
        this.#row++;
        if (this.#row >= this.#lines.length) this.#lines.push("");
      } else if (m[2] === "F") {
        this.#row = Math.max(0, this.#row - Number(m[1] || 1));
      } else if (m[2] === "J") {
        this.#lines.length = this.#row + 1;
        this.#lines[this.#row] = "";
      } else if (m[2] === "m") continue;
      else if (m[2]) throw new Error(`FakeTerminal: unknown escape ${JSON.stringify(tok)}`);
      else this.#lines[this.#row] += tok;
    }
  };

  /** The screen's lines, without the empty line the cursor sits on at the end. */
  get screen(): string[] {
    const out = [...this.#lines];
    while (out.length > 0 && out[out.length - 1] === "") out.pop();
    return out;
  }
}
