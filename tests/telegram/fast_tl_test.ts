import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import readerModule from "telegram/extensions/BinaryReader.js";
import helpersModule from "telegram/Helpers.js";
import gzipModule from "telegram/tl/core/GZIPPacked.js";
import { deflateSync, gzipSync } from "node:zlib";
import { installFastTl, uninstallFastTl } from "../../lib/telegram/fast_tl.ts";

type Reader = { readLong(signed?: boolean): bigInt.BigInteger; offset: number };
const { BinaryReader } = readerModule as unknown as { BinaryReader: new (b: Buffer) => Reader };
const helpers = helpersModule as unknown as { toSignedLittleBuffer(v: unknown, n?: number): Buffer };

const SAMPLES = [
  "0000000000000000",
  "0100000000000000",
  "ffffffffffffffff",
  "0000000000000080",
  "ffffffffffffff7f",
  "1122334455667788",
  "88776655443322ff",
];

function readAll(signed: boolean): string[] {
  const buf = Buffer.from(SAMPLES.join(""), "hex");
  const r = new BinaryReader(buf);
  return SAMPLES.map(() => r.readLong(signed).toString());
}

Deno.test("fast readLong gives GramJS's own values, signed and unsigned, and advances the offset", () => {
  uninstallFastTl();
  const want = [readAll(true), readAll(false)];
  installFastTl();
  try {
    assert.deepEqual([readAll(true), readAll(false)], want);
    assert.equal(readAll(true)[3], "-9223372036854775808");
    const r = new BinaryReader(Buffer.from("0100000000000000ff", "hex"));
    assert.equal(r.readLong().toString(), "1");
    assert.equal(r.offset, 8);
  } finally {
    uninstallFastTl();
  }
});

Deno.test("fast readLong past the end still throws GramJS's error", () => {
  installFastTl();
  try {
    const r = new BinaryReader(Buffer.from("01020304", "hex"));
    assert.throws(() => r.readLong(), /No more data/);
  } finally {
    uninstallFastTl();
  }
});

Deno.test("fast toSignedLittleBuffer matches GramJS for 8-byte values, positive and negative", () => {
  const values = [0, 1, -1, 255, -256, "9223372036854775807", "-9223372036854775808", "123456789012345"];
  uninstallFastTl();
  const want = values.map((v) => helpers.toSignedLittleBuffer(bigInt(v as string)).toString("hex"));
  installFastTl();
  try {
    assert.deepEqual(
      values.map((v) => helpers.toSignedLittleBuffer(bigInt(v as string)).toString("hex")),
      want,
    );
    // other widths go to GramJS's own code
    assert.equal(helpers.toSignedLittleBuffer(bigInt(1), 16).length, 16);
  } finally {
    uninstallFastTl();
  }
});

Deno.test("native gzip_packed inflation gives pako's bytes (gzip and zlib wrappers) and rejects bad data", () => {
  const gz = (gzipModule as unknown as { GZIPPacked: { ungzip(b: Buffer): Buffer } }).GZIPPacked;
  const text = Buffer.from(Array.from({ length: 400 }, (_, i) => `message ${i * 7919 % 1000} `).join(""));
  const inputs = [gzipSync(text), deflateSync(text), gzipSync(Buffer.alloc(0))];
  uninstallFastTl();
  const want = inputs.map((b) => gz.ungzip(b).toString("hex"));
  installFastTl();
  try {
    assert.notEqual(gz.ungzip.name, "ungzip", "native inflation is installed");
    assert.deepEqual(inputs.map((b) => gz.ungzip(b).toString("hex")), want);
    assert.equal(gz.ungzip(inputs[0]).toString(), text.toString());
    assert.throws(() => gz.ungzip(Buffer.from("1f8b0800deadbeef", "hex")));
  } finally {
    uninstallFastTl();
  }
  assert.equal(gz.ungzip.name, "ungzip", "uninstall restores GramJS's own");
});
