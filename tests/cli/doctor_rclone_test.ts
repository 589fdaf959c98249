import assert from "node:assert/strict";
import { runCli } from "../_helpers/run_cli.ts";
import type { DoctorReport } from "../../lib/app/doctor/doctor.ts";

Deno.test("doctor lists rclone's remotes (rclone listremotes) from its config, and none without one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_doc_rc_" });
  try {
    await Deno.writeTextFile(`${dir}/rclone.conf`, "[gdrive]\ntype = local\n\n[nas]\ntype = local\n");
    const r = await runCli(["--json", "doctor"], {
      env: { PATH: "/usr/bin:/bin", RCLONE_CONFIG: `${dir}/rclone.conf` },
    });
    assert.equal(r.code, 0, r.stderr);
    const res = r.events.find((e) => e.type === "result");
    const rep = (res?.type === "result" ? res.data : undefined) as DoctorReport;
    assert.deepEqual(rep.rclone_remotes, { remotes: ["gdrive:", "nas:"] });
    const human = await runCli(["doctor"], {
      env: { PATH: "/usr/bin:/bin", RCLONE_CONFIG: `${dir}/none.conf` },
    });
    assert.match(human.stdout, /rclone remotes\s+none yet/);
    assert.match(human.stdout, /rclone\s+v1\.\d+/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
