/** Measures AES-IGE throughput on a 1 MiB payload: GramJS's pure JS vs the WASM swap. */
import { Buffer } from "node:buffer";
import igeModule from "telegram/crypto/IGE.js";
import { installFastIge, uninstallFastIge } from "../lib/telegram/fast_ige.ts";

type IgeClass = new (
  key: Buffer,
  iv: Buffer,
) => { encryptIge(b: Buffer): Buffer; decryptIge(b: Buffer): Buffer };

function _measure(label: string, rounds: number): void {
  const Ige = (igeModule as { IGE: IgeClass }).IGE;
  const key = Buffer.alloc(32, 7);
  const iv = Buffer.alloc(32, 9);
  const data = Buffer.alloc(1024 * 1024, 3);
  new Ige(key, iv).encryptIge(data); // warm up
  for (const op of ["encrypt", "decrypt"] as const) {
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) {
      const ige = new Ige(key, iv);
      if (op === "encrypt") ige.encryptIge(data);
      else ige.decryptIge(data);
    }
    const s = (performance.now() - t0) / 1000;
    console.log(`${label.padEnd(12)} ${op}: ${(rounds / s).toFixed(1)} MiB/s (1 MiB x ${rounds})`);
  }
}

uninstallFastIge();
_measure("gramjs-js", 10);
installFastIge();
_measure("mtcute-wasm", 50);
