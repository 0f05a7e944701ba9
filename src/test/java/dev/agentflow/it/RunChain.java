package dev.agentflow.it;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import java.util.List;

/**
 * Every run of one workflow id, oldest first, following continue-as-new from a first run id: what
 * Temporal's limits apply to is each run's history, not the workflow id's total.
 */
record RunChain(List<RunHistory> runs) {

  /** One run's history and its figures. */
  record RunHistory(String runId, History history) {

    long bytes() {
      return history.getSerializedSize();
    }

    int events() {
      return history.getEventsCount();
    }

    HistoryEvent last() {
      return history.getEvents(history.getEventsCount() - 1);
    }

    /** How many activities of this type the run scheduled. */
    long scheduled(String activityType) {
      return history.getEventsList().stream()
          .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
          .filter(event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(activityType))
          .count();
    }
  }

  static RunChain fetch(WorkflowClient client, String workflowId, String firstRunId) {
    List<RunHistory> runs = new ArrayList<>();
    String runId = firstRunId;
    while (runId != null) {
      WorkflowExecutionHistory fetched = client.fetchHistory(workflowId, runId);
      RunHistory run = new RunHistory(runId, fetched.getHistory());
      runs.add(run);
      HistoryEvent last = run.last();
      runId = last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
          ? last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId()
          : null;
    }
    return new RunChain(List.copyOf(runs));
  }

  int continuations() {
    return runs.size() - 1;
  }

  long largestBytes() {
    return runs.stream().mapToLong(RunHistory::bytes).max().orElse(0);
  }

  int largestEvents() {
    return runs.stream().mapToInt(RunHistory::events).max().orElse(0);
  }

  long totalBytes() {
    return runs.stream().mapToLong(RunHistory::bytes).sum();
  }

  long scheduled(String activityType) {
    return runs.stream().mapToLong(run -> run.scheduled(activityType)).sum();
  }

  /** The last event of the last run: how the workflow id ended. */
  HistoryEvent end() {
    return runs.get(runs.size() - 1).last();
  }
}
