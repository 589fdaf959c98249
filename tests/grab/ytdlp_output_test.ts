import assert from "node:assert/strict";
import { MARK, YtDlpOutput } from "../../lib/grab/ytdlp_output.ts";
import type { EventBody } from "../../lib/progress/events.ts";

function reader(maxBytes?: number) {
  const events: EventBody[] = [];
  const tooBig: number[] = [];
  const out = new YtDlpOutput({
    item: "u1",
    emit: (e) => events.push(e),
    maxBytes,
    onTooBig: (b) => tooBig.push(b),
  });
  return { out, events, tooBig };
}

const dl = (o: Record<string, unknown>) => MARK.dl + JSON.stringify(o);

Deno.test("YtDlpOutput adds up the streams of one item into cumulative item_progress", () => {
  const { out, events } = reader();
  out.line(
    MARK.info +
      JSON.stringify({
        title: "Clip",
        requested_formats: [{ format_id: "400", filesize: 600_000 }, { format_id: "a", filesize: 400_000 }],
      }),
  );
  out.line(
    dl({ status: "downloading", downloaded_bytes: 300_000, total_bytes: 600_000, filename: "/t/c.f400.mp4" }),
  );
  out.line(
    dl({ status: "finished", downloaded_bytes: 600_000, total_bytes: 600_000, filename: "/t/c.f400.mp4" }),
  );
  out.line(
    dl({ status: "downloading", downloaded_bytes: 1024, total_bytes: 400_000, filename: "/t/c.fa.m4a" }),
  );
  out.line(
    dl({ status: "finished", downloaded_bytes: 400_000, total_bytes: 400_000, filename: "/t/c.fa.m4a" }),
  );
  const progress = events.filter((e) => e.type === "item_progress");
  assert.deepEqual(progress.map((e) => e.type === "item_progress" && [e.done_bytes, e.total_bytes]), [
    [300_000, 1_000_000],
    [600_000, 1_000_000],
    [1_000_000, 1_000_000],
  ]);
  const stages = events.filter((e) => e.type === "item_stage").map((e) =>
    e.type === "item_stage" && e.detail
  );
  assert.deepEqual(stages, ["format 400", "format a"]);
  assert.equal(out.title, "Clip");
});

Deno.test("YtDlpOutput splits post-processing lines yt-dlp wrote without line ends, and reads the files", () => {
  const { out, events } = reader();
  out.line(
    `${MARK.pp}{"status": "started", "postprocessor": "Merger"}${MARK.pp}{"status": "finished", "postprocessor": "Merger"}` +
      `${MARK.pp}{"status": "started", "postprocessor": "MoveFiles"}${MARK.pp}{"status": "started", "postprocessor": "ExtractAudio"}`,
  );
  out.line(
    MARK.file +
      JSON.stringify({
        filepath: "/o/Clip [x].mp4",
        title: "Clip",
        webpage_url: "https://e.x/v",
        duration: 2,
        uploader: "NA",
      }),
  );
  out.line("[download] 100% of 1.00MiB"); // yt-dlp's own lines are ignored
  out.line(MARK.dl + "NA");
  assert.deepEqual(events.map((e) => e.type === "item_stage" && e.stage), ["merge", "audio"]);
  assert.deepEqual(out.files, [{
    filepath: "/o/Clip [x].mp4",
    id: undefined,
    title: "Clip",
    uploader: undefined,
    webpage_url: "https://e.x/v",
    duration: 2,
    thumbnail: undefined,
    ext: undefined,
  }]);
});

Deno.test("YtDlpOutput calls --max-size once: by an exact announced size, or by the bytes as they arrive", () => {
  const exact = reader(500_000);
  exact.out.line(
    MARK.info +
      JSON.stringify({
        requested_formats: [{ format_id: "1", filesize: 400_000 }, { format_id: "2", filesize: 200_000 }],
      }),
  );
  assert.deepEqual(exact.tooBig, [600_000]);
  exact.out.line(
    dl({ status: "downloading", downloaded_bytes: 600_001, total_bytes: 600_001, filename: "x" }),
  );
  assert.deepEqual(exact.tooBig, [600_000], "called once");

  // an estimate alone never refuses (HLS sizes are guesses), the bytes do
  const est = reader(100_000);
  est.out.line(
    MARK.info + JSON.stringify({ duration: 100, requested_formats: [{ format_id: "1", tbr: 800 }] }),
  );
  est.out.line(
    dl({ status: "downloading", downloaded_bytes: 90_000, total_bytes_estimate: 10_000_000, filename: "x" }),
  );
  assert.deepEqual(est.tooBig, []);
  est.out.line(
    dl({ status: "downloading", downloaded_bytes: 100_001, total_bytes_estimate: 10_000_000, filename: "x" }),
  );
  assert.deepEqual(est.tooBig, [100_001]);

  // a server's Content-Length is exact: refused at the first progress line
  const direct = reader(1000);
  direct.out.line(dl({ status: "downloading", downloaded_bytes: 1024, total_bytes: 59_204, filename: "x" }));
  assert.deepEqual(direct.tooBig, [59_204]);
});
