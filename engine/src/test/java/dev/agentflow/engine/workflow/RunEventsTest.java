package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.RunEventsFollower;
import dev.agentflow.engine.testing.Replay;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live events: what a run records, and a client following them from an offset across continue-as-new. */
class RunEventsTest {

  @TempDir Path tempDir;

  private GraphHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private static final String AGENT = """
      apiVersion: agentflow/v1
      name: agent
      version: 1
      models:
        m: {provider: offline, model: scripted}
      start: agent
      nodes:
        agent: {kind: llm, model: m, prompt: "read", tools: [big], maxIterations: 100, next: done}
        done: {kind: end}
      """;

  private static String script(int toolRounds) {
    StringBuilder script = new StringBuilder("replies:\n  agent:\n");
    for (int i = 0; i < toolRounds; i++) {
      script.append("    - toolCalls: [{name: big, arguments: {page: ").append(i).append("}}]\n");
      script.append("      usage: {input: 10, output: 1}\n");
    }
    script.append("    - content: \"read ").append(toolRounds).append(" pages\"\n");
    script.append("      usage: {input: 10, output: 2}\n");
    return script.toString();
  }

  /** Polls until the run has ended, as {@code agentflow watch} does; returns every event seen. */
  private static List<RunEvent> follow(RunEventsFollower follower, long from) {
    List<RunEvent> seen = new ArrayList<>();
    long next = from;
    while (true) {
      RunEventsFollower.Poll poll = follower.poll(next);
      assertThat(poll.missed()).as("events lost between polls").isZero();
      seen.addAll(poll.events());
      next = poll.next();
      if (poll.closed()) {
        return seen;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static List<String> types(List<RunEvent> events) {
    return events.stream().map(RunEvent::type).toList();
  }

  @Test
  void should_record_each_node_model_call_and_tool_call_in_order() {
    harness = new GraphHarness(tempDir, script(2), List.of(TestTools.large("big", 10)));
    harness.start(AGENT, "{}", "events-order").getResult(RunResult.class);

    List<RunEvent> events = follow(new RunEventsFollower(harness.client(), "events-order"), 0);

    assertThat(types(events)).containsExactly(
        "node.started", "model.call", "tool.call", "model.call", "tool.call", "model.call", "node.finished",
        "node.started", "node.finished");
    RunEvent firstTool = events.get(2);
    assertThat(firstTool.name()).isEqualTo("big");
    assertThat(firstTool.detail()).isEqualTo("{\"page\":0}");
    assertThat(firstTool.status()).isEqualTo("ok");
    assertThat(firstTool.durationMillis()).isNotNull();
    RunEvent lastCall = events.get(5);
    assertThat(lastCall.iteration()).isEqualTo(3);
    assertThat(lastCall.inputTokens()).isEqualTo(10);
    assertThat(lastCall.outputTokens()).isEqualTo(2);
    assertThat(events.get(6).detail()).isEqualTo("ok → done");
    assertThat(events).extracting(RunEvent::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
  }

  @Test
  void should_follow_a_run_from_its_start_across_continue_as_new_without_losing_or_repeating_an_event()
      throws Exception {
    harness = new GraphHarness(tempDir, script(30), List.of(TestTools.large("big", 100)));
    WorkflowStub stub = harness.start(AGENT, "{}", "events-chain", new RunOptions("agent.yaml", null, null, 60));
    RunEventsFollower follower = new RunEventsFollower(harness.client(), "events-chain");
    CompletableFuture<List<RunEvent>> live = CompletableFuture.supplyAsync(() -> follow(follower, 0));

    // The follower ends when the last run of the chain closes; the result is read after it, from a
    // closed chain: Temporal's in-memory server can miss waking a result long poll that spans the
    // chain's continue-as-new while queries arrive (seen as a hang in the whole engine suite).
    List<RunEvent> events = live.get(2, TimeUnit.MINUTES);
    RunResult result = stub.getResult(RunResult.class);

    // the trace counts the continuations (the test server's history of a run queried while it
    // continues as new can lack its last events, so the chain of histories is not counted here)
    long continuations = result.trace().stream().filter(e -> e.kind().equals("continue-as-new")).count();
    assertThat(continuations).isGreaterThanOrEqualTo(3);
    assertThat(events).extracting(RunEvent::offset)
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, events.size()).boxed().toList());
    assertThat(types(events)).filteredOn("tool.call"::equals).hasSize(30);
    assertThat(types(events)).filteredOn("model.call"::equals).hasSize(31);
    assertThat(types(events)).filteredOn("run.continued"::equals).hasSize((int) continuations);
    assertThat(events).filteredOn(e -> e.type().equals("node.started") && e.node().equals("agent")).hasSize(1);
    assertThat(events).filteredOn(e -> e.type().equals("tool.call")).extracting(RunEvent::detail)
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 30).mapToObj(i -> "{\"page\":" + i + "}").toList());
  }

  @Test
  void should_follow_a_run_from_an_offset_runs_ago_with_the_same_events_as_from_the_start() {
    harness = new GraphHarness(tempDir, script(30), List.of(TestTools.large("big", 100)));
    harness.start(AGENT, "{}", "live-events-continued", new RunOptions("agent.yaml", null, null, 60)).getResult(RunResult.class);
    RunEventsFollower follower = new RunEventsFollower(harness.client(), "live-events-continued");

    List<RunEvent> all = follow(follower, 0);
    List<RunEvent> fromTen = follow(follower, 10);

    assertThat(harness.chain("live-events-continued")).hasSizeGreaterThanOrEqualTo(4);
    assertThat(fromTen).isEqualTo(all.subList(10, all.size()));
    assertThat(all.get(all.size() - 1).type()).isEqualTo("node.finished");
    RecordedHistories.keep(harness, "live-events-continued", "live-events-continued");
  }

  @Test
  void should_report_fan_out_progress_and_name_children_after_their_parent() throws Exception {
    String graph = """
        apiVersion: agentflow/v1
        name: fan
        version: 1
        start: each
        nodes:
          each:
            kind: map
            items: "[1, 2, 3]"
            maxConcurrency: 2
            graph:
              start: echo
              nodes:
                echo: {kind: tool, tool: echo, arguments: {n: "${input.item}"}, next: done}
                done: {kind: end}
            next: done
          done: {kind: end}
        """;
    harness = new GraphHarness(tempDir, null, List.of());
    harness.start(graph, "{}", "live-events-fan-out").getResult(RunResult.class);

    List<RunEvent> events = follow(new RunEventsFollower(harness.client(), "live-events-fan-out"), 0);

    List<RunEvent> children = events.stream().filter(e -> e.type().equals("child.started")).toList();
    assertThat(children).extracting(RunEvent::detail).containsExactly("0", "1", "2");
    assertThat(children).allSatisfy(child -> assertThat(child.name()).startsWith("live-events-fan-out.each-1-"));
    List<RunEvent> progress = events.stream().filter(e -> e.type().equals("fanout.progress")).toList();
    assertThat(progress).allSatisfy(p -> assertThat(p.total()).isEqualTo(3));
    assertThat(progress).anySatisfy(p -> assertThat(p.running()).isEqualTo(2));
    RunEvent last = progress.get(progress.size() - 1);
    assertThat(List.of(last.done(), last.running(), last.failed())).containsExactly(3, 0, 0);
    List<RunEvent> childEvents = follow(new RunEventsFollower(harness.client(), children.get(0).name()), 0);
    assertThat(types(childEvents)).contains("tool.call");
    Replay.check(harness.client().fetchHistory("live-events-fan-out"));
    RecordedHistories.keep(harness, "live-events-fan-out", "live-events-fan-out");
  }
}
