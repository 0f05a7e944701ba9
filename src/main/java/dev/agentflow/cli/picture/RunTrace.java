package dev.agentflow.cli.picture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.Node;
import dev.agentflow.engine.RunEventsFollower;
import dev.agentflow.engine.workflow.RunEvent;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one run did, read from a Temporal server: its definition (from the run's input, so it is
 * the pinned one), its live events, and the same for every child run it started (fan-out branches,
 * map items, subgraphs), recursively. Turns into {@link RunFacts} for a picture with the path
 * highlighted, into text, or into JSON. Works on a finished or a running run; the events come from
 * the {@code events} query, so a worker must serve the run's task queue.
 */
public final class RunTrace {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TOOL_NOTES = 6;

  /** A child run and where its parent started it. */
  public record Child(String node, String branch, RunTrace trace) {}

  private final String workflowId;
  private final GraphDefinition graph;
  private final WorkflowExecutionStatus status;
  private final List<RunEvent> events;
  private final List<Child> children;

  private RunTrace(String workflowId, GraphDefinition graph, WorkflowExecutionStatus status, List<RunEvent> events,
      List<Child> children) {
    this.workflowId = workflowId;
    this.graph = graph;
    this.status = status;
    this.events = events;
    this.children = children;
  }

  /** Reads the run {@code workflowId} and its children. */
  public static RunTrace read(WorkflowClient client, String workflowId) {
    GraphDefinition graph = definitionOf(client, workflowId);
    RunEventsFollower.Poll poll = new RunEventsFollower(client, workflowId).poll(0);
    List<Child> children = new ArrayList<>();
    for (RunEvent event : poll.events()) {
      if (RunEvent.CHILD_STARTED.equals(event.type())) {
        children.add(new Child(event.node(), event.detail(), read(client, event.name())));
      }
    }
    return new RunTrace(workflowId, graph, poll.status(), poll.events(), List.copyOf(children));
  }

  /** The definition the run was started with: the {@code definition} of its input. */
  private static GraphDefinition definitionOf(WorkflowClient client, String workflowId) {
    Payloads input = client.fetchHistory(workflowId).getEvents().get(0)
        .getWorkflowExecutionStartedEventAttributes().getInput();
    JsonNode request = DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0, Optional.of(input), JsonNode.class, JsonNode.class);
    JsonNode definition = request.path("definition");
    DefinitionLoader loader = DefinitionLoader.withoutToolCheck();
    return definition.isTextual() ? loader.load(definition.asText(), workflowId).graph() : loader.load(definition, workflowId).graph();
  }

  public String workflowId() {
    return workflowId;
  }

  public GraphDefinition graph() {
    return graph;
  }

  public WorkflowExecutionStatus status() {
    return status;
  }

  public List<RunEvent> events() {
    return events;
  }

  public List<Child> children() {
    return children;
  }

  /** The picture of the run: the definition with its path, visits, tokens, costs and tool calls. */
  public Picture picture() {
    return PictureBuilder.of(graph, facts());
  }

  /** Visits and edges of this run and its children, named as the picture names them. */
  public RunFacts facts() {
    Map<String, Tally> tallies = new TreeMap<>();
    Map<String, Integer> taken = new TreeMap<>();
    collect("", tallies, taken, true, true);
    Map<String, Picture.Visit> visits = new TreeMap<>();
    tallies.forEach((id, tally) -> visits.put(id, tally.visit()));
    return new RunFacts(visits, taken);
  }

  private void collect(String prefix, Map<String, Tally> tallies, Map<String, Integer> taken, boolean top,
      boolean withChildren) {
    boolean first = true;
    for (RunEvent event : events) {
      String node = event.node() == null ? null : prefix + pictureId(event.node());
      switch (event.type()) {
        case RunEvent.NODE_STARTED -> {
          if (first && top) {
            taken.merge(RunFacts.edgeKey(PictureBuilder.START, node), 1, Integer::sum);
          }
          first = false;
        }
        case RunEvent.NODE_FINISHED -> {
          Tally tally = tallies.computeIfAbsent(node, id -> new Tally());
          tally.visits++;
          tally.inputTokens += orZero(event.inputTokens());
          tally.outputTokens += orZero(event.outputTokens());
          String next = nextOf(event.detail());
          if (next != null) {
            taken.merge(RunFacts.edgeKey(node, prefix + next), 1, Integer::sum);
          }
        }
        case RunEvent.MODEL_CALL -> {
          Tally tally = tallies.computeIfAbsent(node, id -> new Tally());
          tally.costUsd += event.costUsd() == null ? 0 : event.costUsd();
          if (!event.node().equals(pictureId(event.node()))) { // a review's author or reviewer
            tally.visits++;
            tally.inputTokens += orZero(event.inputTokens());
            tally.outputTokens += orZero(event.outputTokens());
          }
        }
        case RunEvent.TOOL_CALL -> tallies.computeIfAbsent(node, id -> new Tally()).tool(event);
        case RunEvent.FANOUT_PROGRESS -> tallies.computeIfAbsent(node, id -> new Tally()).fanOut = event;
        default -> { }
      }
    }
    for (Child child : withChildren ? children : List.<Child>of()) {
      Node parentNode = graph.nodes().get(child.node());
      String kind = parentNode == null ? "" : parentNode.kind();
      String childPrefix = prefix + child.node() + "/" + ("parallel".equals(kind) ? child.branch() + "/" : "");
      if ("parallel".equals(kind)) {
        tallies.computeIfAbsent(prefix + child.node() + "/" + child.branch(), id -> new Tally()).visits++;
      }
      child.trace().collect(childPrefix, tallies, taken, false, true);
    }
  }

  /** A review's author and reviewer ({@code review.author}) are drawn inside the review ({@code review/author}). */
  private static String pictureId(String node) {
    if (node.endsWith(".author") || node.endsWith(".reviewer")) {
      int dot = node.lastIndexOf('.');
      return node.substring(0, dot) + "/" + node.substring(dot + 1);
    }
    return node;
  }

  private static String nextOf(String detail) {
    if (detail == null) {
      return null;
    }
    int arrow = detail.lastIndexOf(" → ");
    return arrow < 0 ? null : detail.substring(arrow + 3);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  /** What a node added up to over the run. */
  private static final class Tally {
    int visits;
    long inputTokens;
    long outputTokens;
    double costUsd;
    int tools;
    final List<String> notes = new ArrayList<>();
    RunEvent fanOut;

    void tool(RunEvent event) {
      tools++;
      if (tools <= TOOL_NOTES) {
        notes.add("🔧 " + event.name() + " " + event.detail() + " · " + orZero(event.durationMillis()) + " ms"
            + ("error".equals(event.status()) ? " ✘" : ""));
      }
    }

    Picture.Visit visit() {
      List<String> lines = new ArrayList<>(notes);
      if (tools > TOOL_NOTES) {
        lines.add("… " + (tools - TOOL_NOTES) + " more tool calls (" + tools + " in all)");
      }
      if (fanOut != null) {
        lines.add(fanOut.done() + " done, " + fanOut.failed() + " failed of " + fanOut.total() + " children");
      }
      return new Picture.Visit(visits, inputTokens, outputTokens, costUsd, List.copyOf(lines));
    }
  }

  /** The run as text: status, the path it took, then every node with its visits, tokens and tool calls; children indented. */
  public String text() {
    StringBuilder text = new StringBuilder();
    text(text, "");
    return text.toString();
  }

  private void text(StringBuilder text, String indent) {
    text.append(indent).append(graph.name()).append(" v").append(graph.version()).append(" · ").append(workflowId)
        .append(" · ").append(statusName()).append('\n');
    List<String> path = new ArrayList<>();
    for (RunEvent event : events) {
      if (RunEvent.NODE_FINISHED.equals(event.type())) {
        path.add(event.node());
      }
    }
    text.append(indent).append("  path: ").append(String.join(" → ", path)).append('\n');
    Map<String, Tally> own = new TreeMap<>();
    collect("", own, new TreeMap<>(), false, false);
    Map<String, Picture.Visit> visits = new LinkedHashMap<>();
    for (Node node : graph.nodes().values()) {
      for (String id : List.of(node.id(), node.id() + "/author", node.id() + "/reviewer")) {
        if (own.containsKey(id)) {
          visits.put(id, own.get(id).visit());
        }
      }
    }
    visits.forEach((id, visit) -> {
      text.append(indent).append(String.format(Locale.ROOT, "  %-18s %s%n", id, Labels.summary(visit)));
      visit.notes().forEach(note -> text.append(indent).append("      ").append(note).append('\n'));
    });
    for (Child child : children) {
      text.append(indent).append("  ↳ ").append(child.node()).append(" [").append(child.branch()).append("]\n");
      child.trace().text(text, indent + "    ");
    }
  }

  private String statusName() {
    return status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** The run as JSON: workflow id, graph, status, every event, and the children's traces. */
  public ObjectNode json() {
    ObjectNode json = JSON.createObjectNode();
    json.put("workflowId", workflowId);
    json.put("graph", graph.name());
    json.put("version", graph.version());
    json.put("status", statusName());
    json.set("events", JSON.valueToTree(events));
    ArrayNode kids = json.putArray("children");
    for (Child child : children) {
      ObjectNode entry = kids.addObject();
      entry.put("node", child.node());
      entry.put("branch", child.branch());
      entry.set("trace", child.trace().json());
    }
    return json;
  }
}
