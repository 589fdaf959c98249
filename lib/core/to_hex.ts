/** Bytes as lowercase hex, two digits each (names and ids made from digests or random bytes). */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}
