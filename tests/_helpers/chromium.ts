/**
 * Headless Chromium (Debian's) driven over the DevTools protocol, for pages a person would look
 * at (serve's index and player, the bot's admin page). The browser is killed and awaited in
 * `close`, whatever happened.
 */

/** Fails naming `what` when `p` has not settled after a generous while (a hang guard, not a sync). */
export async function step<T>(what: string, p: Promise<T>, ms = 120_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => timer = setTimeout(() => reject(new Error(`Hung at: ${what}`)), ms)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// deno-lint-ignore no-explicit-any
type _Msg = { id?: number; method?: string; sessionId?: string; result?: any; error?: { message: string } };

/** A DevTools connection: commands and one-shot event waits. */
export interface Cdp {
  // deno-lint-ignore no-explicit-any
  send(method: string, params: Record<string, unknown>, sessionId?: string): Promise<any>;
  once(method: string, sessionId: string): Promise<_Msg>;
  /** Resolves on the `count`-th `method` event of the session from now on. */
  nth(method: string, sessionId: string, count: number): Promise<_Msg>;
}

/** One tab: navigate, evaluate, and wait for the load that an action starts. */
export interface Tab {
  sessionId: string;
  /** Loads `url` and waits for its load event. */
  goto(url: string): Promise<void>;
  /** Evaluates an expression (promises awaited) and returns its JSON value. */
  // deno-lint-ignore no-explicit-any
  evaluate(expression: string): Promise<any>;
  /**
   * Runs `expression` (a click, a form submit) and waits for the page load it causes, or for the
   * `loads`-th one when that page goes on by itself (a meta refresh).
   */
  // deno-lint-ignore no-explicit-any
  navigateBy(expression: string, loads?: number): Promise<any>;
}

/** A running headless Chromium. */
export interface Browser {
  cdp: Cdp;
  newTab(): Promise<Tab>;
  close(): Promise<void>;
}

/** Starts headless Chromium with a profile in `dir` (extra flags after the defaults). */
export async function launchChromium(dir: string, flags: string[] = []): Promise<Browser> {
  const profile = await Deno.makeTempDir({ dir, prefix: "chrome_" });
  // its own process group (setsid), so that close kills the renderers and helpers too: killing only
  // the browser left them writing into the profile while the test removed it ("Directory not empty")
  const child = new Deno.Command("setsid", {
    args: [
      "chromium",
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-dev-shm-usage",
      ...flags,
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let ws: WebSocket | undefined;
  const close = async () => {
    ws?.close();
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await child.stderr.cancel().catch(() => {});
    await step("chromium's processes ending", _groupGone(child.pid));
  };
  try {
    const wsUrl = await step("chromium's DevTools address", _devtoolsUrl(child.stderr));
    ws = new WebSocket(wsUrl);
    const cdp = _cdp(ws);
    await step("DevTools connection", new Promise((r, j) => (ws!.onopen = r, ws!.onerror = j)));
    return { cdp, newTab: () => _newTab(cdp), close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Resolves once no process of group `pgid` is left but zombies (which write nothing). */
async function _groupGone(pgid: number): Promise<void> {
  for (;;) {
    let alive = false;
    for (const e of Deno.readDirSync("/proc")) {
      if (!/^\d+$/.test(e.name)) continue;
      let stat: string;
      try {
        stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      } catch {
        continue; // ended meanwhile
      }
      // after "pid (comm)": state, ppid, pgrp
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") alive = true;
    }
    if (!alive) return;
    await new Promise((r) => setTimeout(r, 20)); // SIGKILL was sent: they are on their way out
  }
}

async function _newTab(cdp: Cdp): Promise<Tab> {
  const { targetId } = await step("a new tab", cdp.send("Target.createTarget", { url: "about:blank" }));
  const { sessionId } = await step("attach", cdp.send("Target.attachToTarget", { targetId, flatten: true }));
  await cdp.send("Page.enable", {}, sessionId);
  const evaluate = async (expression: string) => {
    const res = await cdp.send(
      "Runtime.evaluate",
      { expression, awaitPromise: true, returnByValue: true },
      sessionId,
    );
    if (res.exceptionDetails) throw new Error(`In the page: ${JSON.stringify(res.exceptionDetails)}`);
    return res.result?.value;
  };
  return {
    sessionId,
    async goto(url) {
      const loaded = cdp.once("Page.loadEventFired", sessionId);
      await cdp.send("Page.navigate", { url }, sessionId);
      await step(`loading ${url}`, loaded);
    },
    evaluate,
    async navigateBy(expression, loads = 1) {
      const loaded = cdp.nth("Page.loadEventFired", sessionId, loads);
      const value = await evaluate(expression);
      await step(`the page load after ${expression}`, loaded);
      return value;
    },
  };
}

async function _devtoolsUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const dec = new TextDecoder();
  let text = "";
  const reader = stderr.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`chromium exited before DevTools listened: ${text.slice(-2000)}`);
      text += dec.decode(value, { stream: true });
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (m) return m[1];
    }
  } finally {
    reader.releaseLock();
  }
}

function _cdp(ws: WebSocket): Cdp {
  let next = 1;
  // deno-lint-ignore no-explicit-any
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const listeners: Array<(m: _Msg) => void> = [];
  ws.onmessage = (ev) => {
    const m: _Msg = JSON.parse(ev.data);
    if (m.id !== undefined && pending.has(m.id)) {
      const p = pending.get(m.id)!;
      pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error.message));
      else p.resolve(m.result);
    } else for (const l of [...listeners]) l(m);
  };
  return {
    send(method, params, sessionId) {
      const id = next++;
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    once(method, sessionId) {
      return this.nth(method, sessionId, 1);
    },
    nth(method, sessionId, count) {
      let seen = 0;
      return new Promise((resolve) => {
        const l = (m: _Msg) => {
          if (m.method === method && m.sessionId === sessionId && ++seen === count) {
            listeners.splice(listeners.indexOf(l), 1);
            resolve(m);
          }
        };
        listeners.push(l);
      });
    },
  };
}
