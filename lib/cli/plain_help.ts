import { HELP_TEXTS } from "./help_texts.ts";

/**
 * commander's help text for argv when argv is a plain help request (`--help`, `-h`,
 * `<command...> --help`, `help <command>`, nothing else) and commander would wrap it the same:
 * `columns` is the terminal's width, undefined when stdout is not a terminal (commander then wraps
 * at 80). Undefined otherwise, and the request goes through commander.
 */
export function plainHelp(argv: string[], columns: number | undefined): string | undefined {
  if (argv.some((a) => /\s/.test(a) || a === "")) return undefined;
  const key = argv.join(" ");
  const entry = HELP_TEXTS.find((e) => e.argv.includes(key));
  if (!entry) return undefined;
  if (columns === undefined || columns === 80 || (entry.anyWidth && columns > 80)) return entry.text;
  return undefined;
}
