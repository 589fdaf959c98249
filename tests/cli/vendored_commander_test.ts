/**
 * vendor/commander is npm's commander with only the changes its README lists: undoing them gives
 * the npm package's files byte for byte, and the version matches the one deno.json pins (whose
 * extra-typings give the types).
 */
import assert from "node:assert/strict";

const REPO = new URL("../../", import.meta.url).pathname;
const VENDOR = `${REPO}vendor/commander/`;

const NODE_IMPORTS = `import { EventEmitter } from 'node:events';
import childProcess from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import process from 'node:process';
import { stripVTControlCharacters } from 'node:util';
`;
const COMMAND_PATCH = `// tgpipe: Deno-native stand-ins instead of node: builtins (see ../README.md)
import {
  EventEmitter,
  childProcess,
  path,
  fs,
  process,
  stripVTControlCharacters,
} from '../deno_builtins.ts';
`;
const HELP_PATCH = `// tgpipe: Deno-native stand-in instead of node:util (see ../README.md)
import { stripVTControlCharacters } from '../deno_builtins.ts';
`;
const SELF_TYPES = `// @ts-self-types="./index.d.ts"\n`;

/** Undoes the README's changes to one vendored file. */
function _unpatch(name: string, text: string): string {
  if (name === "index.js") return _replaceOnce(text, SELF_TYPES, "");
  if (name === "lib/command.js") return _replaceOnce(text, COMMAND_PATCH, NODE_IMPORTS);
  if (name === "lib/help.js") {
    return _replaceOnce(text, HELP_PATCH, "import { stripVTControlCharacters } from 'node:util';\n");
  }
  return text;
}

function _replaceOnce(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `expected the patch ${JSON.stringify(from.slice(0, 40))} once`);
  return text.replace(from, to);
}

async function _jsFiles(dir: string): Promise<string[]> {
  const names = ["index.js"];
  for await (const e of Deno.readDir(`${dir}lib`)) if (e.name.endsWith(".js")) names.push(`lib/${e.name}`);
  return names.sort();
}

Deno.test("vendor/commander is npm's commander of the pinned version plus the README's patch", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${REPO}deno.json`));
  const pinned = /^npm:commander@([\d.]+)$/.exec(config.imports.commander)?.[1];
  assert.ok(pinned, "deno.json pins npm:commander");
  assert.equal(
    config.imports["commander-extra-typings"],
    `npm:@commander-js/extra-typings@${pinned}`,
    "the types are extra-typings of the same version",
  );
  assert.equal(config.imports["@commander-js/extra-typings"], "./vendor/commander/index.js");
  const npm = `${REPO}node_modules/.deno/commander@${pinned}/node_modules/commander/`;
  assert.equal(JSON.parse(await Deno.readTextFile(`${npm}package.json`)).version, pinned);
  const files = await _jsFiles(VENDOR);
  assert.deepEqual(files, await _jsFiles(npm), "the same files as the npm package");
  for (const name of files) {
    const ours = _unpatch(name, await Deno.readTextFile(`${VENDOR}${name}`));
    assert.ok(
      ours === await Deno.readTextFile(`${npm}${name}`),
      `${name} differs from npm's beyond the patch`,
    );
  }
});

Deno.test("the Deno stand-ins behave like the node: builtins commander used", async () => {
  const { stripVTControlCharacters: ours, EventEmitter } = await import(
    "../../vendor/commander/deno_builtins.ts"
  );
  const { stripVTControlCharacters: node } = await import("node:util");
  for (
    const s of [
      "plain",
      "\x1b[1mbold\x1b[22m",
      "\x1b[38;5;245mgrey\x1b[0m x",
      "\x1b]8;;http://a\x07link\x1b]8;;\x07",
    ]
  ) {
    assert.equal(ours(s), node(s), JSON.stringify(s));
  }
  const e = new EventEmitter();
  const seen: unknown[] = [];
  assert.equal(e.emit("x", 1), false);
  e.on("x", function (this: unknown, v) {
    seen.push([this === e, v]);
  }).on("x", (v) => seen.push(v));
  assert.equal(e.listenerCount("x"), 2);
  assert.equal(e.emit("x", 7), true);
  assert.deepEqual(seen, [[true, 7], 7]);
});
