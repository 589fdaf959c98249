/**
 * Telegram answers a request made under an auth key it does not know (a session revoked or
 * deleted on its side, or a key from another server) with transport error -404. GramJS then only
 * reports the connection as broken and stops reading: every call in flight waits for its timeout
 * and the call policy retries it, for minutes. On the main connection that key is the session's
 * own, so the session is dead: fail what is in flight, and every later call on it, at once with
 * AUTH_KEY_UNREGISTERED, which the call policy turns into LoginRequiredError (exit 4), no retry.
 */
import { MTProtoSender } from "telegram/network/MTProtoSender.js";
import { RPCError } from "telegram/errors/RPCBaseErrors.js";

type _State = { request: unknown; reject(e: unknown): void };
type _Sender = {
  _isMainSender: boolean;
  _pendingState: { values(): _State[]; clear(): void };
  [DEAD]?: boolean;
};
type _Proto = {
  _handleBadAuthKey(this: _Sender, shouldSkipForMain?: boolean): void;
  send(this: _Sender, request: unknown): Promise<unknown>;
  addStateToQueue(this: _Sender, state: _State): void;
};

const DEAD = Symbol("tgpipe.deadAuthKey");
let _installed = false;

/** Installs the guard on every GramJS sender of this process. Idempotent; called by openClient. */
export function installDeadKeyGuard(): void {
  if (_installed) return;
  _installed = true;
  const proto = MTProtoSender.prototype as unknown as _Proto;
  const handleBadAuthKey = proto._handleBadAuthKey;
  const send = proto.send;
  const addStateToQueue = proto.addStateToQueue;
  proto._handleBadAuthKey = function (shouldSkipForMain = false) {
    // shouldSkipForMain: an RPC-level AUTH_KEY_UNREGISTERED, already answered to its caller
    if (this._isMainSender && !shouldSkipForMain) {
      this[DEAD] = true;
      const states = this._pendingState.values();
      this._pendingState.clear();
      for (const s of states) s.reject(_unregistered(s.request));
    }
    handleBadAuthKey.call(this, shouldSkipForMain);
  };
  // GramJS stopped reading this connection: a request sent now would never be answered.
  // (connect() sends with send(), invoke() with addStateToQueue().)
  proto.send = function (request) {
    return this[DEAD] ? Promise.reject(_unregistered(request)) : send.call(this, request);
  };
  proto.addStateToQueue = function (state) {
    if (this[DEAD]) state.reject(_unregistered(state.request));
    else addStateToQueue.call(this, state);
  };
}

function _unregistered(request: unknown): RPCError {
  return new RPCError("AUTH_KEY_UNREGISTERED", request as never, 401);
}
