import assert from "node:assert/strict";
import { sessionEnvAlias } from "../../lib/cli/session_env.ts";

const STRING = "1" + "A".repeat(350) + "=";

Deno.test("a session string in TGPIPE_SESSION is read as TGPIPE_SESSION_STRING", () => {
  assert.deepEqual(sessionEnvAlias({ TGPIPE_SESSION: STRING, HOME: "/h" }), {
    HOME: "/h",
    TGPIPE_SESSION_STRING: STRING,
  });
});

Deno.test("a path in TGPIPE_SESSION stays a path; an explicit TGPIPE_SESSION_STRING wins", () => {
  const env = { TGPIPE_SESSION: "/home/me/.tg/session" };
  assert.equal(sessionEnvAlias(env), env);
  assert.deepEqual(sessionEnvAlias({ TGPIPE_SESSION: STRING, TGPIPE_SESSION_STRING: "1other" }), {
    TGPIPE_SESSION_STRING: "1other",
  });
});
