/**
 * The RPC errors that say a session is gone for good (revoked, expired, its user deleted): the
 * call policy and the early session check both turn them into the same LoginRequiredError.
 */
import { LoginRequiredError } from "../core/errors.ts";

/** RPC error messages that mean the session must log in again. */
export const REVOKED = new Set([
  "AUTH_KEY_UNREGISTERED",
  "SESSION_REVOKED",
  "SESSION_EXPIRED",
  "USER_DEACTIVATED",
  "USER_DEACTIVATED_BAN",
  "AUTH_KEY_INVALID",
  "AUTH_KEY_PERM_EMPTY",
  // the key was used from two places at once: Telegram drops it
  "AUTH_KEY_DUPLICATED",
]);

/** The error for a revoked session (`rpc` one of {@link REVOKED}); no part of the session in it. */
export function revokedError(rpc: string): LoginRequiredError {
  return new LoginRequiredError(
    `The Telegram session is no longer valid (${rpc}); run \`tgpipe login\` again`,
    rpc.toLowerCase(),
  );
}
