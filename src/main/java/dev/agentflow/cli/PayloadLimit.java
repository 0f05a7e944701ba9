package dev.agentflow.cli;

import dev.agentflow.dsl.ReadLimits;
import dev.agentflow.engine.workflow.RunRequest;
import io.temporal.common.converter.DefaultDataConverter;

/**
 * Refuses a run whose start request Temporal would refuse, before it is submitted: the request
 * (definition and input) travels as one payload, and the server rejects payloads above its blob
 * size limit (2 MiB by default), which surfaced as a gRPC stack trace after the fact.
 */
final class PayloadLimit {

  /** Temporal's default {@code limit.blobSize.error}. */
  static final long MAX_PAYLOAD_BYTES = 2L * 1024 * 1024;

  private PayloadLimit() {}

  /** The request's size as Temporal's default data converter encodes it. */
  static long sizeOf(Object value) {
    return DefaultDataConverter.STANDARD_INSTANCE.toPayload(value).map(payload -> (long) payload.getSerializedSize())
        .orElse(0L);
  }

  /** @throws CliException when the request is over the limit, naming both sizes and what to do */
  static void check(RunRequest request) {
    long total = sizeOf(request);
    if (total <= MAX_PAYLOAD_BYTES) {
      return;
    }
    long input = sizeOf(request.input());
    throw CliException.failed("the run was not started: its start request is " + ReadLimits.describeSize(total)
        + " (the input " + ReadLimits.describeSize(input) + ", the definition "
        + ReadLimits.describeSize(sizeOf(request.definition())) + "), more than the "
        + ReadLimits.describeSize(MAX_PAYLOAD_BYTES) + " Temporal accepts in one payload.\n"
        + "  Pass large data by reference instead: put it in a file or at a URL and let the graph fetch it with a tool"
        + " (e.g. http_get), or split the work into smaller runs.");
  }
}
