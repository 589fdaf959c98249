/** The Remote contract over every implementation: a local directory, rclone's local backend, rclone over served sftp and webdav. */
import { LocalRemote } from "../../lib/remote/local_remote.ts";
import { RcloneRemote } from "../../lib/remote/rclone_remote.ts";
import { findTool } from "../../lib/tools/find_tool.ts";
import { remoteConformance } from "../conformance/remote_conformance.ts";
import { sectionOf, serveRemote, writeConfig } from "./_rclone_serve.ts";

const rclone = await findTool("rclone", { searchPath: Deno.env.get("PATH") ?? "", cacheDir: "/tmp" });

remoteConformance("local directory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_lr_" });
  return { remote: new LocalRemote(`${dir}/target`), cleanup: () => Deno.remove(dir, { recursive: true }) };
});

remoteConformance("rclone local backend", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_rl_" });
  const config = await writeConfig(`${dir}/rclone.conf`);
  return {
    remote: new RcloneRemote(`loc:${dir}/target`, { rclone, config }),
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
});

for (const kind of ["sftp", "webdav"] as const) {
  remoteConformance(`rclone serve ${kind}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: `tgpipe_r${kind}_` });
    const served = await serveRemote({ kind, root: `${dir}/srv` });
    const config = await writeConfig(`${dir}/rclone.conf`, [await sectionOf("net", served)]);
    return {
      remote: new RcloneRemote("net:target", { rclone, config }),
      cleanup: async () => {
        await served.stop();
        await Deno.remove(dir, { recursive: true });
      },
    };
  });
}
