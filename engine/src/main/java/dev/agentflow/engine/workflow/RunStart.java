package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.engine.registry.ResolvedGraph;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;

/**
 * The start of every run, in the one order that keeps its replays deterministic:
 *
 * <ol>
 *   <li>ask the run's {@link RunVersion} (before any other command);
 *   <li>refuse engine-only fields a client sent ({@link EngineOnlyFields}), before anything else
 *       happens;
 *   <li>a run started by reference ({@code graph}) resolves it with one activity ({@link
 *       GraphResolution}) and goes on as if started with the resolved definition; a run started
 *       with a definition whose child graphs reference the registry pins them with one activity;
 *   <li>check the definition and the input once, inside {@code Workflow.sideEffect}: the verdict is
 *       recorded, and a replay reads it instead of checking again. A child run checks only its
 *       input (its definition is part of its parent's, checked when the parent started); a run
 *       continued as new checks nothing (its first run did);
 *   <li>bind the definition without checking it ({@link DefinitionSource#bind});
 *   <li>settle the worker's search-attribute choice ({@link RunSearchAttributes}) and ask the
 *       worker whether its policy allows what the definition asks ({@link WorkerPolicyCheck}), in
 *       that order, as every run since those checks exists has;
 *   <li>restore what a previous run carried across continue-as-new (state, queued signals, budget
 *       raises), and only then register the signal and update handlers, so a signal that reaches
 *       the new run early queues behind the carried ones.
 * </ol>
 *
 * <p>Runs recorded before these rules (the default version) replay as they ran: no field check,
 * handlers registered before the restore; they bind without checking too, since they passed the
 * checks of their time when they started.
 */
final class RunStart {

  /** Everything the interpreter needs once the run has started. */
  record Started(
      RunVersion version,
      LoadedDefinition loaded,
      RunOptions options,
      RunSearchAttributes searchAttributes,
      RunState state,
      Inbox inbox,
      BudgetLedger budget,
      RunVersions versions,
      Continuation continuation) {

    GraphDefinition graph() {
      return loaded.graph();
    }
  }

  /** Receives the run's state as soon as it exists, so queries can read it while the start goes on. */
  interface Listener {
    void started(GraphDefinition graph, RunState state, Inbox inbox);
  }

  private RunStart() {}

  /**
   * @param searchAttributesAllowed false on a worker whose namespace lacks the search attributes or
   *     whose config turns them off
   */
  static Started begin(RunRequest requested, StartValidator validator, boolean searchAttributesAllowed, Listener listener) {
    RunVersion version = RunVersion.ofThisRun();
    RunOptions requestedOptions = requested.options() == null ? RunOptions.defaults() : requested.options();
    WorkflowInfo info = Workflow.getInfo();
    if (version.checksEngineOnlyFields()) {
      EngineOnlyFields.check(requested, info);
    }
    ResolvedGraph resolved = requested.graph() == null ? null : resolve(requested);
    RunOptions options = resolved == null || requestedOptions.sourceName() != null ? requestedOptions
        : requestedOptions.withSourceName("registry:" + resolved.name() + ":" + resolved.version());
    RunRequest request = resolved != null ? requested.resolvedTo(resolved.definition(), options)
        : rootStart(requested, info) ? withSubgraphsPinned(requested, options)
        : requested;
    boolean child = info.getParentWorkflowId().isPresent();
    boolean continued = request.resume() != null || request.resumeRef() != null;
    if (version.validatesOnce() && !child && !continued) {
      enforce(Workflow.sideEffect(StartVerdict.class,
          () -> validator.checkDefinition(request.definition(), request.input(), options.effectiveSourceName())));
    }
    LoadedDefinition loaded = DefinitionSource.bind(request.definition(), options.effectiveSourceName());
    GraphDefinition graph = loaded.graph();
    if (version.validatesOnce() && child && !continued) {
      enforce(Workflow.sideEffect(StartVerdict.class, () -> validator.checkInput(graph, request.input())));
    }
    RunSearchAttributes searchAttributes = RunSearchAttributes.forRun(graph, searchAttributesAllowed);
    if (resolved != null) {
      searchAttributes.pinnedTo(resolved.sha256(), resolved.alias());
    }
    WorkerPolicyCheck.atRunStart(loaded);
    RunState state = new RunState(request.input(), runInfo(loaded));
    if (version.boundsSignals()) {
      state.boundSignals();
    }
    Inbox inbox = new Inbox(state, Inbox.eventsOf(graph, options.budgetLimit()), version.boundsSignals());
    listener.started(graph, state, inbox);
    if (!version.restoresBeforeHandlers()) {
      inbox.register();
    }
    RunVersions versions = new RunVersions();
    if (versions.liveEvents()) {
      state.events().enable(graph.name() + " v" + graph.version());
    }
    BudgetLedger budget = new BudgetLedger(graph, options.budgetLimit(), state, inbox, versions);
    Continuation continuation = new Continuation(request, options, state, inbox, budget, version.waitsContinueAsNew());
    if (version.restoresBeforeHandlers()) {
      inbox.register();
    }
    return new Started(version, loaded, options, searchAttributes, state, inbox, budget, versions, continuation);
  }

  /** The request with its registered child graphs pinned; the same request when it has none. */
  private static RunRequest withSubgraphsPinned(RunRequest request, RunOptions options) {
    com.fasterxml.jackson.databind.JsonNode pinned = GraphResolution.pinSubgraphs(request.definition());
    return pinned == request.definition() ? request : request.resolvedTo(pinned, options);
  }

  /** A run a client started (not a child, not a continuation). */
  private static boolean rootStart(RunRequest request, WorkflowInfo info) {
    return info.getParentWorkflowId().isEmpty() && request.resume() == null && request.resumeRef() == null;
  }

  /** A run started by reference: both a definition and a reference is a mistake worth naming. */
  private static ResolvedGraph resolve(RunRequest request) {
    if (request.definition() != null && !request.definition().isNull() && !request.definition().isMissingNode()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the run input has both 'definition' and 'graph' ('" + request.graph() + "'): give one of them",
          FailureTypes.INVALID_INPUT);
    }
    return GraphResolution.resolve(request.graph());
  }

  private static void enforce(StartVerdict verdict) {
    if (!verdict.valid()) {
      throw ApplicationFailure.newNonRetryableFailure(verdict.message(), verdict.failureType());
    }
  }

  private static ObjectNode runInfo(LoadedDefinition loaded) {
    ObjectNode run = RunContext.JSON.createObjectNode();
    run.put("id", Workflow.getInfo().getWorkflowId());
    run.put("runId", Workflow.getInfo().getRunId());
    run.put("graph", loaded.graph().name());
    run.put("version", loaded.graph().version());
    run.put("sha256", loaded.sha256());
    return run;
  }
}
