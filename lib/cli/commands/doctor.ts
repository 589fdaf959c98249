import { Command } from "@commander-js/extra-typings";
import type { DoctorReport } from "../../app/doctor/doctor.ts";
import { ExitCode } from "../../core/exit_codes.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe doctor
  tgpipe doctor --ffmpeg /opt/ffmpeg/bin/ffmpeg --whisper-model ~/models/ggml-base.en.bin
  tgpipe --json doctor | jq '.data.tools[] | select(.found | not)'

Exit code 0 when the progress store is writable; missing optional tools are only warnings.`;

/** `tgpipe doctor`: checks the runtime, progress store, session and external tools. */
export function doctorCommand(io: CliIo, state: CliState): AnyCommand {
  return new Command("doctor")
    .description("Check the runtime, progress store, session and external tools (ffmpeg, whisper-cli, ...)")
    .option("--ffmpeg <path>", "ffmpeg binary to check instead of the one on PATH")
    .option("--ffprobe <path>", "ffprobe binary to check instead of the one on PATH")
    .option("--whisper-cli <path>", "whisper.cpp whisper-cli binary")
    .option("--whisper-model <file>", "ggml Whisper model file (e.g. ggml-base.en.bin)")
    .option("--yt-dlp <path>", "yt-dlp binary to check instead of the one on PATH")
    .addHelpText("after", EXAMPLES)
    .action(makeAction(io, state, async (rt) => {
      const s = rt.settings;
      const { runDoctor } = await import("../../app/doctor/doctor.ts");
      const report = await runDoctor({
        kv: s.kv,
        // Only the default location may be created: a typo in --kv must not make directories.
        createKvParent: rt.sources.kv === "default",
        session: s.session,
        hasSessionString: s.sessionString !== undefined && s.sessionString !== "",
        tools: {
          ffmpeg: s.ffmpeg,
          ffprobe: s.ffprobe,
          "whisper-cli": s.whisperCli,
          rclone: s.rclone,
          "yt-dlp": s.ytDlp,
        },
        whisperModel: s.whisperModel,
        searchPath: rt.io.env.PATH ?? "",
        cacheDir: s.cacheDir,
        signal: rt.signal,
      });
      rt.result("doctor", report, () => renderDoctor(report));
      return report.ok ? ExitCode.OK : ExitCode.FAILED;
    }));
}

/** The human-readable doctor report, one check per line. */
export function renderDoctor(r: DoctorReport): string {
  const rt = r.runtime;
  const mark = (ok: boolean) => (ok ? "ok  " : "FAIL");
  const lines = [
    `tgpipe ${rt.tgpipe} (${rt.compiled ? "compiled binary" : "from source"}) on Deno ${rt.deno}, ` +
    `V8 ${rt.v8}, ${rt.os}/${rt.arch}`,
    `${mark(r.store.writable)} progress store ${r.store.location} (${r.store.kind})` +
    (r.store.writable ? " writable" : `: ${r.store.error ?? "not writable"}`),
    `${r.session.state === "present" || r.session.state === "string" ? "ok  " : "warn"} session ${
      _session(r.session)
    }`,
  ];
  for (const t of r.tools) {
    lines.push(
      t.found
        ? `${t.warning ? "warn" : "ok  "} ${t.name.padEnd(16)} ${
          t.version ?? "version unknown"
        }  ${t.path} (${t.source})` +
          (t.warning ? `\n     ${t.warning}` : "")
        : `warn ${t.name.padEnd(16)} missing: ${t.hint}`,
    );
  }
  if (r.rclone_remotes) {
    const rr = r.rclone_remotes;
    lines.push(
      rr.error
        ? `warn rclone remotes   ${rr.error}`
        : `ok   rclone remotes   ${
          rr.remotes.length > 0 ? rr.remotes.join(" ") : "none yet (rclone config)"
        }`,
    );
  }
  const m = r.whisper_model;
  lines.push(
    m.state === "ggml"
      ? `ok   whisper model    ${m.path} (ggml, ${m.bytes} bytes)`
      : `warn whisper model    ${
        m.state === "unset" ? "not set (--whisper-model; bring your own ggml-*.bin)" : `${m.path}: ${m.state}`
      }`,
  );
  lines.push(r.ok ? "Essentials OK" : "Essentials FAILED: the progress store is not usable");
  return lines.join("\n") + "\n";
}

function _session(s: DoctorReport["session"]): string {
  switch (s.state) {
    case "present":
      return `${s.path} present${s.mode ? ` (mode ${s.mode})` : ""}`;
    case "insecure":
      return `${s.path} has mode ${s.mode}; run chmod 600 on it`;
    case "string":
      return "from the session_string setting";
    case "missing":
      return `${s.path} missing: run \`tgpipe login\``;
  }
}
