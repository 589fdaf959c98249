/**
 * lib/app holds planners and steps, not engines: no function in it runs past 80 lines (the
 * runner/pool issue's rule). Functions are found by their formatting (deno fmt puts a top-level
 * function's closing brace alone at column 0 and a method's at column 2).
 */
import assert from "node:assert/strict";
import { REPO } from "../_helpers/run_cli.ts";

const MAX_LINES = 80;

/** Each function or method of a source with its length in lines. */
export function functionSizes(text: string): Array<{ name: string; line: number; lines: number }> {
  const lines = text.split("\n");
  const out: Array<{ name: string; line: number; lines: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    const top = /^(?:export )?(?:async )?function\*? (\w+)|^export const (\w+) = .*=> \{$/.exec(lines[i]);
    const method = /^ {2}(?:(?:async|static|private|get|set) )*#?(\w+)\s*(?:<[^>]*>)?\(.*\{$/.exec(lines[i]);
    const m = top ?? (method && !/^(if|for|while|switch|return|catch)$/.test(method[1]) ? method : null);
    if (!m) continue;
    const close = top ? "}" : "  }";
    let j = i + 1;
    while (j < lines.length && lines[j] !== close && !(top && lines[j].startsWith("};"))) j++;
    out.push({ name: m[1] ?? m[2], line: i + 1, lines: j - i + 1 });
    i = j;
  }
  return out;
}

Deno.test("functionSizes measures top-level functions and methods", () => {
  const src = "export async function a() {\n  x();\n}\nclass C {\n  m() {\n    y();\n    z();\n  }\n}\n";
  assert.deepEqual(functionSizes(src), [{ name: "a", line: 1, lines: 3 }, { name: "m", line: 5, lines: 4 }]);
});

Deno.test(`no function in lib/app is longer than ${MAX_LINES} lines`, async () => {
  const long: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (p.endsWith(".ts")) {
        for (const f of functionSizes(await Deno.readTextFile(p))) {
          if (f.lines > MAX_LINES) {
            long.push(`${p.slice(REPO.length)}:${f.line} ${f.name} (${f.lines} lines)`);
          }
        }
      }
    }
  };
  await walk(`${REPO}lib/app`);
  assert.deepEqual(long, []);
});
