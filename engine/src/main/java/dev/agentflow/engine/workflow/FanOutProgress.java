package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.engine.llm.TokenUsage;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far one fan-out has got: the next branch to start, each finished branch's result, the
 * failures, the counts, what the children spent, the peak concurrency and when the timeout fires.
 * {@link FanOutRunner} updates it as children finish; it is what a fan-out carries across
 * continue-as-new ({@link Checkpoint.FanOut}), so a resumed fan-out goes on exactly where it was.
 */
final class FanOutProgress {

  private final JsonNode[] results;
  private final Map<String, ObjectNode> failures = new TreeMap<>();
  private final boolean resumed;
  private final Long deadlineMillis;
  private int next;
  private int succeeded;
  private int failed;
  private int peak;
  private TokenUsage usage = TokenUsage.ZERO;
  private double costUsd;

  private FanOutProgress(int total, boolean resumed, Long deadlineMillis) {
    this.results = new JsonNode[total];
    this.resumed = resumed;
    this.deadlineMillis = deadlineMillis;
  }

  /** A fan-out of {@code total} branches that starts now; its timeout (may be null) runs from now. */
  static FanOutProgress start(int total, Duration timeout) {
    Long deadline = timeout == null ? null : Workflow.currentTimeMillis() + timeout.toMillis();
    return new FanOutProgress(total, false, deadline);
  }

  /**
   * A fan-out resumed from what the previous run carried.
   *
   * @param finished {@code {"results": […], "failures": {…}}} as {@link #finishedJson()} wrote it
   */
  static FanOutProgress resume(int total, Checkpoint.FanOut saved, JsonNode finished) {
    FanOutProgress progress = new FanOutProgress(total, true, saved.deadlineMillis());
    JsonNode results = finished.path("results");
    for (int index = 0; index < results.size(); index++) {
      progress.results[index] = results.get(index);
    }
    finished.path("failures").fields().forEachRemaining(e -> progress.failures.put(e.getKey(), (ObjectNode) e.getValue()));
    progress.next = saved.next();
    progress.succeeded = saved.succeeded();
    progress.failed = saved.failed();
    progress.peak = saved.peakConcurrency();
    progress.usage = saved.usage() == null ? TokenUsage.ZERO : saved.usage();
    progress.costUsd = saved.costUsd();
    return progress;
  }

  /** How long the timeout timer of this run must be: all of {@code timeout}, or what is left of it after a resume. */
  Duration timerDuration(Duration timeout) {
    if (!resumed || deadlineMillis == null) {
      return timeout;
    }
    return Duration.ofMillis(Math.max(1, deadlineMillis - Workflow.currentTimeMillis()));
  }

  int total() {
    return results.length;
  }

  /** Index of the next branch to start. */
  int next() {
    return next;
  }

  boolean allStarted() {
    return next >= results.length;
  }

  /** Counts the next branch as started and returns its index. */
  int startNext() {
    return next++;
  }

  void notePending(int pending) {
    peak = Math.max(peak, pending);
  }

  void succeeded(int index, RunResult result) {
    results[index] = result.output();
    succeeded++;
  }

  /** Counts what a child spent, however it ended (null: it could not say). */
  void spent(UsageSummary childUsage) {
    if (childUsage != null) {
      usage = usage.plus(childUsage.total());
      costUsd += childUsage.costUsd();
    }
  }

  /** What the node's children spent so far in this visit. */
  Spend spend() {
    return new Spend(usage.total(), costUsd);
  }

  void failed(int index, String key, ObjectNode error) {
    failed++;
    failures.put(key, error);
    ObjectNode status = RunContext.JSON.createObjectNode();
    status.put("$status", "failed");
    status.set("error", error);
    results[index] = status;
  }

  /** Marks a branch that never finished: {@code cancelled} or {@code notStarted}. */
  void unfinished(int index, String status) {
    results[index] = RunContext.JSON.createObjectNode().put("$status", status);
  }

  boolean hasResult(int index) {
    return results[index] != null;
  }

  int succeeded() {
    return succeeded;
  }

  int failed() {
    return failed;
  }

  int peak() {
    return peak;
  }

  /** Tokens the children have spent so far, towards the node's budget. */
  long tokens() {
    return usage.total();
  }

  TokenUsage usage() {
    return usage;
  }

  double costUsd() {
    return costUsd;
  }

  Long deadlineMillis() {
    return deadlineMillis;
  }

  Map<String, ObjectNode> failures() {
    return failures;
  }

  List<JsonNode> results() {
    return List.of(results);
  }

  /** The results of the branches started so far (all finished when drained) and the failures. */
  ObjectNode finishedJson() {
    ObjectNode finished = RunContext.JSON.createObjectNode();
    ArrayNode done = finished.putArray("results");
    for (int index = 0; index < next; index++) {
      done.add(results[index]);
    }
    ObjectNode errors = finished.putObject("failures");
    failures.forEach(errors::set);
    return finished;
  }
}
