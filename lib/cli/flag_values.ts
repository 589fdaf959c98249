/** Flag value helpers commands share: repeatable options, whole numbers, domain parsers as arg parsers. */
import { InvalidArgumentError } from "@commander-js/extra-typings";
import { UsageError } from "../core/errors.ts";

/** A repeatable option: each use adds one value (not variadic, which would swallow the arguments after it). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...previous ?? [], value];
}

/** A whole number flag of at least `min`; UsageError (exit 2) otherwise. */
export function intFlag(v: string | undefined, flag: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}, got ${v}`);
  return n;
}

/** `parse` as commander's argParser: its error becomes commander's usage error (exit 2, one line). */
export function argParser<T>(parse: (v: string) => T): (v: string) => T {
  return (v) => {
    try {
      return parse(v);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}
