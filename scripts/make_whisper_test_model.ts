// Writes a tiny legacy-format ggml "Whisper" model (English-only vocab layout, 1 layer, n_state=S)
// whose weights are hand-set so that whisper.cpp decodes a FIXED transcript for any audio.
// All blocks are zero (residual stream = token_emb + pos_emb); decoder.positional_embedding[p]
// points at the token wanted at step p, token_embedding rows are the (tied) output projection.
// usage: deno run --allow-write make_test_model.ts out.bin "hello world from a fake model"
const [out, text = "hello world", sArg = "32"] = Deno.args;
const S = Number(sArg); // n_audio_state == n_text_state
const words = text.split(/\s+/).filter(Boolean).map((w) => " " + w);
if (words.length + 2 > S / 2) throw new Error(`too many words for n_state=${S}`);
const H = {
  n_vocab: 51864,
  n_audio_ctx: 1500,
  n_audio_state: S,
  n_audio_head: 1,
  n_audio_layer: 1,
  n_text_ctx: 448,
  n_text_state: S,
  n_text_head: 1,
  n_text_layer: 1,
  n_mels: 80,
  ftype: 1, /* f16 */
};
const EOT = 50256, BEG = 50363; // English-only (n_vocab 51864) special ids in whisper.cpp
const chunks: Uint8Array[] = [];
const i32 = (...v: number[]) => chunks.push(new Uint8Array(new Int32Array(v).buffer));
const bytes = (b: Uint8Array) => chunks.push(b);
i32(0x67676d6c);
i32(...Object.values(H));
i32(80, 201);
bytes(new Uint8Array(80 * 201 * 4)); // mel filters (zeros: audio is ignored anyway)
// vocab: ids 0..255 single bytes (id 32 == " "), 256.. our words; whisper.cpp fills the rest
const enc = new TextEncoder();
const vocab: Uint8Array[] = [];
for (let i = 0; i < 256; i++) vocab.push(new Uint8Array([i]));
words.forEach((w) => vocab.push(enc.encode(w)));
i32(vocab.length);
for (const t of vocab) {
  i32(t.length);
  bytes(t);
}
const f16 = (a: Float32Array) => {
  const h = new Uint16Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x === 0) continue; // only small exact values used
    const s = x < 0 ? 0x8000 : 0;
    const m = Math.abs(x);
    const e = Math.floor(Math.log2(m));
    const f = m / 2 ** e - 1;
    h[i] = s | ((e + 15) << 10) | Math.round(f * 1024);
  }
  return new Uint8Array(h.buffer);
};
function tensor(name: string, ne: number[], f32 = true, fill?: (a: Float32Array) => void) {
  const n = ne.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  fill?.(a);
  i32(ne.length, name.length, f32 ? 0 : 1, ...ne);
  bytes(enc.encode(name));
  bytes(f32 ? new Uint8Array(a.buffer) : f16(a));
}
const ones = (a: Float32Array) => a.fill(1);
// direction k: zero-mean unit vector (e_2k - e_2k+1)/sqrt2 -> survives LayerNorm
const dir = (a: Float32Array, off: number, k: number, scale: number) => {
  a[off + 2 * k] = scale;
  a[off + 2 * k + 1] = -scale;
};
// decode plan: pos0 -> <|0.00|> (token_beg), pos1.. -> words, then EOT
const targets = [BEG, ...words.map((_, i) => 256 + i), EOT];
const E = "encoder.", D = "decoder.";
tensor(E + "positional_embedding", [S, 1500]);
tensor(E + "conv1.weight", [3, 80, S], false);
tensor(E + "conv1.bias", [1, S]);
tensor(E + "conv2.weight", [3, S, S], false);
tensor(E + "conv2.bias", [1, S]);
tensor(E + "ln_post.weight", [S], true, ones);
tensor(E + "ln_post.bias", [S]);
const block = (p: string, cross: boolean) => {
  for (const sub of cross ? ["attn", "cross_attn"] : ["attn"]) {
    tensor(`${p}${sub}_ln.weight`, [S], true, ones);
    tensor(`${p}${sub}_ln.bias`, [S]);
    tensor(`${p}${sub}.query.weight`, [S, S], false);
    tensor(`${p}${sub}.query.bias`, [S]);
    tensor(`${p}${sub}.key.weight`, [S, S], false);
    tensor(`${p}${sub}.value.weight`, [S, S], false);
    tensor(`${p}${sub}.value.bias`, [S]);
    tensor(`${p}${sub}.out.weight`, [S, S], false);
    tensor(`${p}${sub}.out.bias`, [S]);
  }
  tensor(`${p}mlp_ln.weight`, [S], true, ones);
  tensor(`${p}mlp_ln.bias`, [S]);
  tensor(`${p}mlp.0.weight`, [S, 4 * S], false);
  tensor(`${p}mlp.0.bias`, [4 * S]);
  tensor(`${p}mlp.2.weight`, [4 * S, S], false);
  tensor(`${p}mlp.2.bias`, [S]);
};
block(E + "blocks.0.", false);
tensor(D + "positional_embedding", [S, 448], true, (a) => {
  for (let p = 0; p < 448; p++) dir(a, p * S, Math.min(p, targets.length - 1), 64);
});
tensor(
  D + "token_embedding.weight",
  [S, H.n_vocab],
  false,
  (a) => targets.forEach((tok, k) => dir(a, tok * S, k, 4)),
);
tensor(D + "ln.weight", [S], true, ones);
tensor(D + "ln.bias", [S]);
block(D + "blocks.0.", true);
const buf = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
let o = 0;
for (const c of chunks) {
  buf.set(c, o);
  o += c.length;
}
await Deno.writeFile(out, buf);
console.log(`wrote ${out}: ${buf.length} bytes, transcript "${words.join("").trim()}"`);
