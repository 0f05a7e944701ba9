package dev.agentflow.engine.llm.admission;

import java.time.Instant;

/**
 * Tokens and calls that count against a pool's window from {@code at} until {@code at} plus {@link
 * SlidingWindow#SPAN}: an admitted call (its reservation, then its real usage once settled), or a
 * hold the provider asked for (its rate-limit headers or a 429), dated so that it ends when the
 * provider said its capacity comes back.
 */
public record WindowEntry(Instant at, long tokens, int requests) {}
