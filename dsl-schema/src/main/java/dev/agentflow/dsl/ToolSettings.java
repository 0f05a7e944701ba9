package dev.agentflow.dsl;

import java.time.Duration;

/** Per-tool activity settings from the definition's {@code tools:} section. */
public record ToolSettings(Duration timeout, RetrySpec retry) {

  public static final ToolSettings DEFAULT = new ToolSettings(Duration.ofSeconds(60), RetrySpec.DEFAULT);
}
