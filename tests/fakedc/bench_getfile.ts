/**
 * Measures the fake DC's capacity: upload.getFile answers of 1 MB (MB/s) and of 4 KB (req/s)
 * over N raw MTProto connections to the media DC. Client and server share this process, so
 * the numbers are a lower bound for the server.
 *   deno run -A tests/fakedc/bench_getfile.ts [--conns 4] [--seconds 5]
 */
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram/tl/index.js";
import { openRaw, startDev } from "./_dev_cluster.ts";

function arg(name: string, def: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : def;
}

const req = (offset: number, limit: number) =>
  new Api.upload.GetFile({
    location: new Api.InputDocumentFileLocation({
      id: bigInt(555),
      accessHash: bigInt(666),
      fileReference: Buffer.from([1, 2, 3]),
      thumbSize: "",
    }),
    offset: bigInt(offset),
    limit,
  }).getBytes();

async function run(
  conns: number,
  seconds: number,
  limit: number,
): Promise<{ reqs: number; bytes: number; s: number }> {
  const tg = await startDev();
  const clients = await Promise.all(Array.from({ length: conns }, () => openRaw(tg, { dcId: 4 })));
  for (const c of clients) await c.call(new Api.help.GetConfig().getBytes());
  const body = req(0, limit);
  let reqs = 0, bytes = 0;
  const t0 = performance.now(), end = t0 + seconds * 1000;
  await Promise.all(clients.map(async (c) => {
    // Two requests in flight per connection, like a pipelining downloader.
    const lane = async () => {
      while (performance.now() < end) {
        const o = await c.call(body, 10_000);
        if (o.kind !== "result") throw new Error(`call ${o.kind}`);
        reqs++;
        bytes += limit;
      }
    };
    await Promise.all([lane(), lane()]);
  }));
  const s = (performance.now() - t0) / 1000;
  for (const c of clients) await c.close();
  await tg.close();
  return { reqs, bytes, s };
}

const conns = arg("conns", 4), seconds = arg("seconds", 5);
const big = await run(conns, seconds, 1 << 20);
console.log(
  `upload.getFile 1 MB x ${conns} conns: ${(big.bytes / 2 ** 20 / big.s).toFixed(1)} MB/s, ` +
    `${(big.reqs / big.s).toFixed(1)} req/s`,
);
const small = await run(conns, seconds, 4096);
console.log(`upload.getFile 4 KB x ${conns} conns: ${(small.reqs / small.s).toFixed(0)} req/s`);
