/** Server side of Telegram's 2FA SRP (PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow). */
import { Buffer } from "node:buffer";
import { createHash, pbkdf2Sync, randomBytes } from "node:crypto";

/** Telegram's 2048-bit safe prime (g = 3), the one clients accept without checks. */
export const SRP_P = BigInt(
  "0xC71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F48198A0AA7C14058229493D22530F4DBFA336F6E0AC925139543AED44CCE7C3720FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454F18FAF8C595F642477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4A4A695811051907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754FD17ED950D5965B4B9DD46582DB1178D169C6BC465B0D6FF9CA3928FEF5B9AE4E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B",
);
/** Generator. */
export const SRP_G = 3n;

const sha = (...b: Uint8Array[]) => createHash("sha256").update(Buffer.concat(b)).digest();
const b2n = (b: Uint8Array) => BigInt("0x" + (Buffer.from(b).toString("hex") || "0"));
const n2b = (n: bigint) => Buffer.from(n.toString(16).padStart(512, "0"), "hex");

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
  }
  return r;
}

/** The stored verifier of a password: salts and v = g^x mod p. */
export interface SrpVerifier {
  salt1: Buffer;
  salt2: Buffer;
  v: bigint;
}

/** x = PH2(password, salt1, salt2), as the client computes it. */
export function srpVerifier(password: string, salt1: Buffer, salt2: Buffer): SrpVerifier {
  const h1 = sha(salt1, Buffer.from(password, "utf8"), salt1);
  const h2 = sha(salt2, h1, salt2);
  const h3 = pbkdf2Sync(h2, salt1, 100000, 64, "sha512");
  const x = b2n(sha(salt2, h3, salt2));
  return { salt1, salt2, v: modPow(SRP_G, x, SRP_P) };
}

/** One SRP round: the server's B and a checker for the client's (A, M1). */
export function srpChallenge(ver: SrpVerifier): { B: Buffer; check(A: Uint8Array, M1: Uint8Array): boolean } {
  const b = b2n(randomBytes(256)) % SRP_P;
  const pB = n2b(SRP_P), gB = n2b(SRP_G);
  const k = b2n(sha(pB, gB));
  const B = (k * ver.v + modPow(SRP_G, b, SRP_P)) % SRP_P;
  const BB = n2b(B);
  return {
    B: BB,
    check(Araw: Uint8Array, M1: Uint8Array): boolean {
      const A = b2n(Araw);
      if (A <= 1n || A >= SRP_P - 1n) return false;
      const AB = n2b(A);
      const u = b2n(sha(AB, BB));
      const S = modPow((A * modPow(ver.v, u, SRP_P)) % SRP_P, b, SRP_P);
      const K = sha(n2b(S));
      const hp = sha(pB), hg = sha(gB);
      const x = Buffer.alloc(32);
      for (let i = 0; i < 32; i++) x[i] = hp[i] ^ hg[i];
      const want = sha(x, sha(ver.salt1), sha(ver.salt2), AB, BB, K);
      return Buffer.from(M1).equals(want);
    },
  };
}
