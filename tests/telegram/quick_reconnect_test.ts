import assert from "node:assert/strict";
import {
  quickReconnect,
  reconnectDelayMs,
  type ReconnectingSender,
} from "../../lib/telegram/quick_reconnect.ts";

function _sender(): ReconnectingSender & { reconnects: number } {
  const s = {
    _userConnected: true,
    isReconnecting: false,
    _currentRetries: 0,
    _isMainSender: true,
    reconnects: 0,
    _reconnect() {
      s.reconnects++;
      s.isReconnecting = false; // connected again
      return Promise.resolve();
    },
  };
  return s;
}

Deno.test("quickReconnect: the first reconnect since an answer goes at once; drops in a row back off to GramJS's second", () => {
  // GramJS waited a fixed second before every reconnect: each drop of the main connection held
  // every history page of an export for that long
  const s = _sender();
  const delays: number[] = [];
  const run = (fn: () => void, ms: number) => (delays.push(ms), fn());
  quickReconnect(s, run);
  quickReconnect(s, run);
  quickReconnect(s, run);
  quickReconnect(s, run);
  quickReconnect(s, run);
  assert.deepEqual(delays, [0, 250, 500, 1000, 1000]);
  assert.equal(s.reconnects, 5);
  s._currentRetries = 0; // GramJS zeroes it on every message received
  quickReconnect(s, run);
  assert.equal(delays.at(-1), 0);
});

Deno.test("quickReconnect: nothing while a reconnect is under way or after the user disconnected", () => {
  const s = _sender();
  const delays: number[] = [];
  s.isReconnecting = true;
  quickReconnect(s, (_fn, ms) => delays.push(ms));
  s.isReconnecting = false;
  s._userConnected = false;
  quickReconnect(s, (_fn, ms) => delays.push(ms));
  assert.deepEqual(delays, []);
  assert.equal(reconnectDelayMs(1), 0);
});
