package dev.agentflow.engine.llm.admission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The window and queue of each pool in this process: the limits hold for one worker process (a
 * deployment of several workers without PostgreSQL gives each the whole limit, so divide it among
 * them). Thread-safe; one lock for all pools, held only for a few list operations.
 */
public final class InMemoryAdmissionStore implements AdmissionStore {

  private final Clock clock;
  private final Map<String, Pool> pools = new HashMap<>();
  private long nextTicket = 1;
  private long nextAdmission = 1;

  public InMemoryAdmissionStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized long enqueue(String pool, long tokens) {
    long ticket = nextTicket++;
    pool(pool).waiting.put(ticket, tokens);
    return ticket;
  }

  @Override
  public synchronized Attempt tryAdmit(String pool, long ticket, long tokens, RateLimits limits) {
    Pool state = pool(pool);
    Instant now = clock.instant();
    state.expire(now);
    Map<Long, Long> aheadOf = state.waiting.headMap(ticket);
    if (!aheadOf.isEmpty()) {
      long inLine = tokens + aheadOf.values().stream().mapToLong(Long::longValue).sum();
      return Attempt.waiting(
          SlidingWindow.waitFor(state.entries(), now, inLine, aheadOf.size() + 1, limits), aheadOf.size());
    }
    Duration wait = SlidingWindow.waitFor(state.entries(), now, tokens, limits);
    if (!wait.isZero()) {
      return Attempt.waiting(wait, 0);
    }
    state.waiting.remove(ticket);
    long admission = nextAdmission++;
    state.admitted.put(admission, new WindowEntry(now, tokens, 1));
    return Attempt.admitted(admission);
  }

  @Override
  public synchronized void leave(String pool, long ticket) {
    pool(pool).waiting.remove(ticket);
  }

  @Override
  public synchronized void settle(String pool, long admission, long tokens) {
    Pool state = pool(pool);
    WindowEntry entry = state.admitted.get(admission);
    if (entry != null) {
      state.admitted.put(admission, new WindowEntry(entry.at(), tokens, entry.requests()));
    }
  }

  @Override
  public synchronized void tighten(String pool, RateLimits limits, long remainingTokens, Duration resetAfter) {
    Pool state = pool(pool);
    Instant now = clock.instant();
    long free = SlidingWindow.freeTokens(state.entries(), now, limits);
    if (limits.tokensPerMinute() > 0 && remainingTokens < free && resetAfter.toMillis() > 0) {
      state.holds.add(new WindowEntry(now.plus(resetAfter).minus(SlidingWindow.SPAN), free - remainingTokens, 0));
    }
  }

  @Override
  public synchronized void pause(String pool, RateLimits limits, Duration retryAfter) {
    if (retryAfter.toMillis() > 0) {
      Instant now = clock.instant();
      pool(pool).holds.add(new WindowEntry(
          now.plus(retryAfter).minus(SlidingWindow.SPAN), limits.tokensPerMinute(), limits.requestsPerMinute()));
    }
  }

  private Pool pool(String name) {
    return pools.computeIfAbsent(name, ignored -> new Pool());
  }

  private static final class Pool {
    final TreeMap<Long, Long> waiting = new TreeMap<>();
    final Map<Long, WindowEntry> admitted = new LinkedHashMap<>();
    final List<WindowEntry> holds = new ArrayList<>();

    void expire(Instant now) {
      admitted.values().removeIf(entry -> !SlidingWindow.live(entry, now));
      holds.removeIf(entry -> !SlidingWindow.live(entry, now));
    }

    List<WindowEntry> entries() {
      List<WindowEntry> all = new ArrayList<>(admitted.values());
      all.addAll(holds);
      return all;
    }
  }
}
