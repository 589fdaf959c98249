import { Command } from "@commander-js/extra-typings";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe whoami
  tgpipe --json whoami | jq .data.id

Exit code 4 when there is no session or Telegram revoked it.`;

/** `tgpipe whoami`: the account behind the session (phone masked). */
export function whoamiCommand(io: CliIo, state: CliState): AnyCommand {
  return new Command("whoami")
    .description("Show the logged-in account: id, name, username, masked phone, bot or user, DC")
    .addHelpText("after", EXAMPLES)
    .action(makeAction(io, state, async (rt) => {
      const [{ telegramAccess }, { earlyAccount }] = await Promise.all([
        import("../../app/shared/telegram_settings.ts"),
        import("../../app/shared/early_account.ts"),
      ]);
      const access = telegramAccess(rt.settings);
      await (await import("../early_start.ts")).earlyStarted();
      // the early session check (main.ts) sends its request now (whoami has no input to check) and
      // usually answers: then GramJS never loads
      const a = await earlyAccount(access, rt.emit) ??
        await (await import("../../app/account/whoami.ts")).whoami(access, {
          emit: rt.emit,
          signal: rt.signal,
        });
      rt.result("account", a, () =>
        [
          `id        ${a.id}`,
          `name      ${a.name}`,
          `username  ${a.username ? `@${a.username}` : "-"}`,
          `phone     ${a.phone_masked ?? "-"}`,
          `type      ${a.bot ? "bot" : "user"}`,
          `dc        ${a.dc_id}`,
        ].join("\n") + "\n");
    }));
}
