package dev.agentflow.engine;

import dev.agentflow.engine.workflow.RunEvent;
import dev.agentflow.engine.workflow.RunEventsPage;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Follows the live events of a run (any AgentGraph run, whoever started it) through the {@code
 * events} query, from an offset. Each {@link #poll} asks the workflow id's current run, so a run that
 * continued as new is followed into its next run without losing or repeating an event: offsets go
 * on across the chain, and each run holds the events of the run before it; a client further behind
 * is answered by the earlier runs themselves (a worker replays them). The run is asked for its
 * status before its events, so the poll that first sees it closed has all of them.
 */
public final class RunEventsFollower {

  /**
   * What one poll found.
   *
   * @param events new events, in offset order, none seen before
   * @param next the offset to poll from next
   * @param closed true once the run has ended (completed, failed, cancelled, terminated, timed out)
   *     and {@code events} hold everything up to its end
   * @param status the status of the workflow id's current run
   * @param missed events between the offset asked for and the first the run still held (only when
   *     the client fell more than a whole run behind a continue-as-new), else 0
   * @param live false when the run keeps no events (it started on an interpreter before them)
   */
  public record Poll(
      List<RunEvent> events, long next, boolean closed, WorkflowExecutionStatus status, long missed, boolean live) {}

  private final WorkflowClient client;
  private final String workflowId;

  public RunEventsFollower(WorkflowClient client, String workflowId) {
    this.client = client;
    this.workflowId = workflowId;
  }

  /**
   * The events from {@code from} on that the run holds now.
   *
   * @throws io.temporal.client.WorkflowNotFoundException when there is no such workflow
   */
  public Poll poll(long from) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    WorkflowExecutionDescription description = stub.describe();
    WorkflowExecutionStatus status = description.getStatus();
    boolean closed = status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        && status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
    String runId = description.getExecution().getRunId();
    WorkflowStub current = client.newUntypedWorkflowStub(workflowId, Optional.of(runId), Optional.empty());
    List<RunEvent> events = new ArrayList<>();
    long next = from;
    long missed = 0;
    RunEventsPage page = query(current, next);
    if (page.first() > next) {
      // more than one run behind: the runs before this one still answer for their own events
      List<RunEvent> earlier = fromEarlierRuns(runId, next, page.first());
      events.addAll(earlier);
      next = earlier.isEmpty() ? next : earlier.get(earlier.size() - 1).offset() + 1;
      missed = page.first() - next;
      next = Math.max(next, page.first());
    }
    while (true) {
      for (RunEvent event : page.events()) {
        if (event.offset() >= next) {
          events.add(event);
          next = event.offset() + 1;
        }
      }
      if (page.events().size() < RunEventsPage.MAX_EVENTS) {
        break;
      }
      page = query(current, next);
    }
    return new Poll(List.copyOf(events), next, closed, status, missed, page.live());
  }

  private static RunEventsPage query(WorkflowStub stub, long from) {
    return stub.query("events", RunEventsPage.class, from);
  }

  /**
   * Events {@code from} .. {@code until - 1} from the runs before {@code runId}, walking back the
   * continue-as-new chain (each run's first history event names the run before it). Such a run has
   * closed, so a worker replays it to answer.
   */
  private List<RunEvent> fromEarlierRuns(String runId, long from, long until) {
    String previous = previousRun(runId);
    if (previous == null) {
      return List.of();
    }
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId, Optional.of(previous), Optional.empty());
    RunEventsPage page;
    try {
      page = query(stub, from);
    } catch (RuntimeException unanswered) {
      return List.of();
    }
    List<RunEvent> events = new ArrayList<>();
    long next = from;
    if (page.first() > from) {
      events.addAll(fromEarlierRuns(previous, from, page.first()));
      next = Math.max(page.first(), events.isEmpty() ? from : events.get(events.size() - 1).offset() + 1);
    }
    while (next < until) {
      boolean added = false;
      for (RunEvent event : page.events()) {
        if (event.offset() >= next && event.offset() < until) {
          events.add(event);
          next = event.offset() + 1;
          added = true;
        }
      }
      if (!added || page.events().size() < RunEventsPage.MAX_EVENTS) {
        break;
      }
      page = query(stub, next);
    }
    return events;
  }

  private String previousRun(String runId) {
    WorkflowExecutionHistory history = client.fetchHistory(workflowId, runId);
    HistoryEvent first = history.getEvents().get(0);
    String previous = first.getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
    return previous.isEmpty() ? null : previous;
  }
}
