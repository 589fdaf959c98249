/**
 * TGPIPE_SESSION names the session *file*; the fake DC (and some users) put a session *string*
 * there. A StringSession is unmistakable ("1" + at least 300 base64 characters), so such a value
 * is read as TGPIPE_SESSION_STRING instead of being taken for a path.
 */

const STRING_SESSION = /^1[A-Za-z0-9+/=_-]{300,}$/;

/** Returns env with a session string found in TGPIPE_SESSION moved to TGPIPE_SESSION_STRING. */
export function sessionEnvAlias(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const value = env.TGPIPE_SESSION?.trim();
  if (!value || !STRING_SESSION.test(value)) return env;
  const { TGPIPE_SESSION: _, ...rest } = env;
  return rest.TGPIPE_SESSION_STRING ? rest : { ...rest, TGPIPE_SESSION_STRING: value };
}
