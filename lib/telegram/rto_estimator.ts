/**
 * How long an answer may take before a request counts as lost, learnt from the answers actually
 * seen (TCP's retransmission timeout, RFC 6298, plus the transfer time of the answer): a smoothed
 * latency and its variation, and the transfer rate of big answers. Telegram gives no such signal
 * itself, and a fixed 60 s timer made every unanswered request cost a minute.
 */

/** Options of {@link RtoEstimator}; every field has a default. */
export interface RtoOptions {
  /**
   * Lowest timeout ever given, ms: slack for a busy machine and GC pauses. Default 400 (2 s made
   * every lost answer cost 2 s at a 30 ms RTT; a copy of a read is cheap, a late answer is not).
   */
  floorMs?: number;
  /**
   * The latency allowance is at least this many smoothed RTTs, however steady the answers were:
   * a floor that follows the network (a 150 ms link waits ≥ 600 ms) instead of a fixed one sized
   * for the slowest. Default 4.
   */
  floorRtts?: number;
  /** Highest timeout ever given, ms. Default 60000. */
  maxMs?: number;
  /** Timeout before any answer was seen, ms. Default 2000. */
  initialMs?: number;
  /** Clock in ms (tests inject one). Default performance.now. */
  now?: () => number;
}

/** Answers of at least this many bytes teach the transfer rate. */
const RATE_MIN_BYTES = 64 * 1024;
/**
 * Bytes per ms assumed until a big answer taught the rate (1 MB/s, so a 1 MB part is given 2 s on
 * top): without it the first parts on a new DC were given only the latency allowance and were all
 * sent twice (measured: 64% more bytes fetched in download's skip-same test).
 */
const ASSUMED_RATE = 1024 * 1024 / 1000;

/** The timeout estimate of one connection or DC (see module comment). */
export class RtoEstimator {
  readonly #floor: number;
  readonly #floorRtts: number;
  readonly #max: number;
  readonly #initial: number;
  readonly #now: () => number;
  #srtt: number | undefined;
  #rttvar = 0;
  /** The lowest latency seen, ms (undefined before the first answer). */
  #minRtt: number | undefined;
  /** Bytes per ms of big answers, smoothed; undefined until one was seen. */
  #rate: number | undefined;
  /** Told after each answer learnt from (see {@link onLearn}). */
  readonly #learners = new Set<() => void>();

  constructor(opts: RtoOptions = {}) {
    this.#floor = opts.floorMs ?? 400;
    this.#floorRtts = opts.floorRtts ?? 4;
    this.#max = Math.max(this.#floor, opts.maxMs ?? 60_000);
    this.#initial = opts.initialMs ?? 2000;
    this.#now = opts.now ?? (() => performance.now());
  }

  /** The clock's time now; pass it back to {@link observe} when the answer comes. */
  start(): number {
    return this.#now();
  }

  /**
   * Learns from one answered request sent at `startedAt` (from {@link start}) whose answer
   * carried `bytes`. Only answers to the request itself count, never one to an earlier copy
   * (Karn's rule): the caller times each copy from its own send.
   */
  observe(startedAt: number, bytes = 0): void {
    const ms = Math.max(0, this.#now() - startedAt);
    if (bytes >= RATE_MIN_BYTES && ms > 0) {
      // latency included: the rate is underestimated, so transfer times are on the safe side
      const r = bytes / ms;
      this.#rate = this.#rate === undefined ? r : 0.75 * this.#rate + 0.25 * r;
    }
    const latency = Math.max(0, ms - this.#transfer(bytes));
    this.#minRtt = Math.min(this.#minRtt ?? latency, latency);
    if (this.#srtt === undefined) {
      this.#srtt = latency;
      this.#rttvar = latency / 2;
    } else {
      this.#rttvar = 0.75 * this.#rttvar + 0.25 * Math.abs(this.#srtt - latency);
      this.#srtt = 0.875 * this.#srtt + 0.125 * latency;
    }
    for (const fn of [...this.#learners]) fn();
  }

  /** Calls `fn` after each answer learnt from, until the returned function is called. */
  onLearn(fn: () => void): () => void {
    this.#learners.add(fn);
    return () => void this.#learners.delete(fn);
  }

  /**
   * True while {@link timeoutMs} for `bytes` still rests on a default: no answer seen yet, or no
   * big answer to tell the transfer rate when `bytes` is big enough to need one.
   */
  provisional(bytes = 0): boolean {
    return this.#srtt === undefined || (bytes > 0 && this.#rate === undefined);
  }

  /** Smoothed latency in ms (undefined before the first answer). */
  get srttMs(): number | undefined {
    return this.#srtt;
  }

  /**
   * How long to wait for an answer of about `bytes` before acting on its loss:
   * max(floor, max(srtt + 4 × rttvar, floorRtts × srtt) + 2 × bytes / rate), at most the maximum
   * (the initial timeout instead of the first term before any answer; 1 MB/s before any rate).
   */
  timeoutMs(bytes = 0): number {
    const latency = this.#srtt === undefined
      ? this.#initial
      : Math.max(this.#srtt + 4 * this.#rttvar, this.#floorRtts * this.#srtt);
    const est = latency + 2 * this.#transfer(bytes);
    return Math.round(Math.min(this.#max, Math.max(this.#floor, est)));
  }

  /**
   * How long a small request alone on a connection may take: floorRtts × the lowest latency seen,
   * at least the floor (the initial timeout before any answer). The smoothed estimate also holds
   * the time answers waited behind others on a busy connection (history pages on the main one: a
   * timeout of 2 s at a 30 ms RTT), which a lone request on a fresh connection does not.
   */
  idleTimeoutMs(): number {
    if (this.#minRtt === undefined) return Math.min(this.#max, Math.max(this.#floor, this.#initial));
    return Math.round(Math.min(this.#max, Math.max(this.#floor, this.#floorRtts * this.#minRtt)));
  }

  /**
   * How long a request alone on its DC may take: {@link idleTimeoutMs} plus twice the transfer time
   * of `bytes` at the rate learnt (nothing else is in flight to share the connection with).
   */
  loneTimeoutMs(bytes = 0): number {
    return Math.round(Math.min(this.#max, this.idleTimeoutMs() + 2 * this.#transfer(bytes)));
  }

  #transfer(bytes: number): number {
    return bytes > 0 ? bytes / (this.#rate ?? ASSUMED_RATE) : 0;
  }
}
