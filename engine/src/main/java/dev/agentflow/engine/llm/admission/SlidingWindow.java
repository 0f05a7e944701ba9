package dev.agentflow.engine.llm.admission;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The admission rule of a pool, shared by every {@link AdmissionStore}: a call of {@code n}
 * estimated tokens goes now when what the last minute's entries hold plus {@code n} stays within
 * the tokens-per-minute limit and one more call stays within the requests-per-minute limit;
 * otherwise it waits until enough entries leave the window. A call larger than the whole limit goes
 * alone, into an empty window, rather than never.
 *
 * <p>An entry counts for {@link #SPAN}: one minute plus {@link #MARGIN}, because the provider dates
 * a call when it arrives, a little after it was admitted, and an entry that left our window a moment
 * before the provider's would let one minute of the provider's see more than the limit.
 */
public final class SlidingWindow {

  /** The providers' window. */
  public static final Duration MINUTE = Duration.ofSeconds(60);

  /** How much longer than a minute an entry counts (admission to arrival at the provider, with room). */
  public static final Duration MARGIN = Duration.ofSeconds(2);

  /** How long an entry counts. */
  public static final Duration SPAN = MINUTE.plus(MARGIN);

  private SlidingWindow() {}

  /** Whether an entry still counts at {@code now}. */
  public static boolean live(WindowEntry entry, Instant now) {
    return entry.at().plus(SPAN).isAfter(now);
  }

  /**
   * How long a call of {@code tokens} must wait at {@code now}: zero when it may go, else until the
   * first moment the entries that leave by then make room.
   *
   * @param entries the pool's entries (expired ones are ignored)
   */
  public static Duration waitFor(List<WindowEntry> entries, Instant now, long tokens, RateLimits limits) {
    return waitFor(entries, now, tokens, 1, limits);
  }

  /**
   * How long {@code requests} calls of {@code tokens} in all must wait at {@code now}: a call in
   * line asks for itself and every call ahead of it, so it wakes up when its own turn can come.
   */
  public static Duration waitFor(List<WindowEntry> entries, Instant now, long tokens, int requests, RateLimits limits) {
    List<WindowEntry> live = new ArrayList<>();
    for (WindowEntry entry : entries) {
      if (live(entry, now)) {
        live.add(entry);
      }
    }
    long usedTokens = live.stream().mapToLong(WindowEntry::tokens).sum();
    long usedRequests = live.stream().mapToLong(WindowEntry::requests).sum();
    if (fits(usedTokens, usedRequests, tokens, requests, limits)) {
      return Duration.ZERO;
    }
    live.sort(Comparator.comparing(WindowEntry::at));
    for (WindowEntry leaving : live) {
      usedTokens -= leaving.tokens();
      usedRequests -= leaving.requests();
      if (fits(usedTokens, usedRequests, tokens, requests, limits)) {
        Duration wait = Duration.between(now, leaving.at().plus(SPAN));
        return atLeastOneMilli(wait);
      }
    }
    // more calls than the requests limit lets into one window (a call far back in line): not
    // before everything in the window now has left, and a window's worth later when it is empty
    Instant emptied = live.isEmpty() ? now.plus(SPAN) : live.get(live.size() - 1).at().plus(SPAN);
    return atLeastOneMilli(Duration.between(now, emptied));
  }

  private static Duration atLeastOneMilli(Duration wait) {
    return wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait;
  }

  /** Tokens still free at {@code now} (the limit less what the live entries hold; 0 when over). */
  public static long freeTokens(List<WindowEntry> entries, Instant now, RateLimits limits) {
    long used = entries.stream().filter(entry -> live(entry, now)).mapToLong(WindowEntry::tokens).sum();
    return Math.max(0, limits.tokensPerMinute() - used);
  }

  private static boolean fits(long usedTokens, long usedRequests, long tokens, int requests, RateLimits limits) {
    boolean tokensFit =
        limits.tokensPerMinute() == 0 || usedTokens + tokens <= limits.tokensPerMinute() || usedTokens <= 0;
    boolean requestsFit = limits.requestsPerMinute() == 0 || usedRequests + requests <= limits.requestsPerMinute();
    return tokensFit && requestsFit;
  }
}
