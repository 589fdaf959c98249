import assert from "node:assert/strict";
import { findLeaks } from "./find_leaks.ts";

const clean = { args: ["config", "show"], secrets: ["s3cr3t-hash"], stdout: "api_hash ********", stderr: "" };

Deno.test("findLeaks is empty when no secret appears", () => {
  assert.deepEqual(findLeaks([{ file: "a.json", record: clean }]), []);
});

Deno.test("findLeaks finds a secret in stdout, stderr and args, and masks it in the report", () => {
  const leaks = findLeaks([
    { file: "a.json", record: { ...clean, stdout: "hash=s3cr3t-hash\n" } },
    { file: "b.json", record: { ...clean, stderr: "error: bad s3cr3t-hash" } },
    { file: "c.json", record: { ...clean, args: ["--x", "s3cr3t-hash"] } },
  ]);
  assert.deepEqual(leaks.map((l) => [l.file, l.stream]), [["a.json", "stdout"], ["b.json", "stderr"], [
    "c.json",
    "args",
  ]]);
  for (const l of leaks) {
    assert.equal(l.secret, "s3*********");
    assert.ok(!l.context.includes("s3cr3t-hash"));
  }
});
