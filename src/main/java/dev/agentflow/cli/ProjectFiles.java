package dev.agentflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.LocatedDocument;
import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.ReadLimits;
import dev.agentflow.engine.llm.offline.OfflineScript;
import dev.agentflow.engine.llm.offline.ScriptChecks;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.policy.PolicyViolation;
import dev.agentflow.engine.policy.WorkerPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds of file an agentflow project keeps beside its definitions, each validated as what it
 * is: a definition, its offline script ({@code *.offline.yaml}: node names must call a model in the
 * graph), its run input ({@code *.input.json}: against the graph's input schema), its expected
 * output ({@code *.expected.json}: JSON) and its events ({@code *.signals.json}: events the graph
 * waits for, payloads its waits accept). Every problem is located, and a file never stops the others.
 */
final class ProjectFiles {

  enum Kind {
    DEFINITION("definition"),
    OFFLINE_SCRIPT("offline script"),
    INPUT("run input"),
    EXPECTED("expected output"),
    SIGNALS("events to send");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  /** What validating one file found: the ✓ line's detail, or the problems. */
  record Result(Path file, Kind kind, String detail, List<Problem> problems) {
    boolean ok() {
      return problems.isEmpty();
    }
  }

  private final DefinitionLoader loader;
  private final ReadLimits limits;
  private final WorkerPolicy policy;

  /** @param policy a worker's policy to check definitions against (secrets, endpoints), or null */
  ProjectFiles(Set<String> tools, ReadLimits limits, WorkerPolicy policy) {
    this.loader = new DefinitionLoader(tools, limits);
    this.limits = limits;
    this.policy = policy;
  }

  ProjectFiles(Set<String> tools, ReadLimits limits) {
    this(tools, limits, null);
  }

  static Kind kindOf(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(ScriptLibrary.SUFFIX)) {
      return Kind.OFFLINE_SCRIPT;
    }
    if (name.endsWith(".input.json")) {
      return Kind.INPUT;
    }
    if (name.endsWith(".expected.json")) {
      return Kind.EXPECTED;
    }
    if (name.endsWith(".signals.json")) {
      return Kind.SIGNALS;
    }
    return Kind.DEFINITION;
  }

  /** Files a directory holds that validate looks at: YAML and JSON directly in it, by name. */
  static boolean isProjectFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }

  /** Validates one file as the kind its name says. */
  Result check(Path file) {
    Kind kind = kindOf(file);
    try {
      return switch (kind) {
        case DEFINITION -> definition(file);
        case OFFLINE_SCRIPT -> script(file);
        case INPUT -> input(file);
        case EXPECTED -> expected(file);
        case SIGNALS -> signals(file);
      };
    } catch (DefinitionException e) {
      return new Result(file, kind, "", e.problems());
    }
  }

  private Result definition(Path file) {
    LoadedDefinition loaded = loader.load(file);
    List<PolicyViolation> violations = policy == null ? List.of() : PolicyReport.check(policy, true, loaded);
    if (!violations.isEmpty()) {
      return new Result(file, Kind.DEFINITION, "", violations.stream()
          .map(violation -> new Problem(file.toString(), 0, 0, "", "the worker config does not allow it: " + violation))
          .toList());
    }
    return new Result(file, Kind.DEFINITION, String.format("%s v%d, sha256 %s", loaded.graph().name(),
        loaded.graph().version(), loaded.sha256().substring(0, 12)), List.of());
  }

  private Result script(Path file) {
    LocatedDocument document = LocatedDocument.read(file, limits);
    OfflineScript script = ScriptLibrary.parse(document);
    String detail = "offline script for " + script.graph() + ", " + script.replies().size() + " node"
        + (script.replies().size() == 1 ? "" : "s");
    Optional<Path> definitionFile = definitionBeside(file, ScriptLibrary.SUFFIX);
    if (definitionFile.isEmpty()) {
      return new Result(file, Kind.OFFLINE_SCRIPT, detail + "; no definition beside it, node names not checked", List.of());
    }
    Optional<GraphDefinition> graph = graphOf(definitionFile.get());
    if (graph.isEmpty()) {
      return new Result(file, Kind.OFFLINE_SCRIPT,
          detail + "; " + definitionFile.get().getFileName() + " has problems, node names not checked", List.of());
    }
    return new Result(file, Kind.OFFLINE_SCRIPT, detail, ScriptChecks.check(document, script, graph.get()));
  }

  private Result input(Path file) {
    LocatedDocument document = LocatedDocument.readJson(file, JsonArgument.LIMITS);
    Optional<GraphDefinition> graph = definitionBeside(file, ".input.json").flatMap(this::graphOf);
    if (graph.isEmpty()) {
      return new Result(file, Kind.INPUT, "JSON; no loadable definition beside it, not checked against an input schema",
          List.of());
    }
    List<Problem> problems = document.locate(InputValidator.forGraph(graph.get()).validate(document.root()));
    return new Result(file, Kind.INPUT, "input of " + graph.get().name(), problems);
  }

  private Result expected(Path file) {
    LocatedDocument.readJson(file, JsonArgument.LIMITS);
    return new Result(file, Kind.EXPECTED, "JSON", List.of());
  }

  private Result signals(Path file) {
    LocatedDocument document = LocatedDocument.readJson(file, JsonArgument.LIMITS);
    JsonNode root = document.root();
    List<Problem> problems = new ArrayList<>();
    if (!root.isArray()) {
      return new Result(file, Kind.SIGNALS, "", List.of(document.problemAt("",
          "expected a list of {\"event\": NAME, \"payload\": JSON}")));
    }
    Optional<GraphDefinition> graph = definitionBeside(file, ".signals.json").flatMap(this::graphOf);
    WaitEvents events = graph.map(WaitEvents::of).orElse(null);
    for (int i = 0; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      String pointer = "/" + i;
      if (!entry.isObject() || !entry.path("event").isTextual()) {
        problems.add(document.problemAt(pointer, "expected {\"event\": NAME, \"payload\": JSON}"));
        continue;
      }
      String event = entry.get("event").asText();
      if (events == null) {
        continue;
      }
      try {
        events.checkName(event);
      } catch (CliException e) {
        problems.add(document.problemAt(pointer + "/event", e.getMessage().replaceFirst("^--send [^:]*: ", "")));
        continue;
      }
      for (Problem problem : events.check(event, entry.path("payload"))) {
        problems.add(document.problemAt(pointer + "/payload" + problem.pointer(), problem.message()));
      }
    }
    return new Result(file, Kind.SIGNALS, root.size() + " event" + (root.size() == 1 ? "" : "s")
        + (graph.isEmpty() ? "; no loadable definition beside it, names not checked" : ""), problems);
  }

  /** {@code x.yaml} (or .yml, .json) beside {@code x<suffix>}. */
  private static Optional<Path> definitionBeside(Path file, String suffix) {
    String name = file.getFileName().toString();
    String base = name.substring(0, name.length() - suffix.length());
    for (String extension : List.of(".yaml", ".yml", ".json")) {
      Path candidate = file.resolveSibling(base + extension);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The graph of a definition file; empty when it does not load (its own check reports why). */
  private Optional<GraphDefinition> graphOf(Path definition) {
    try {
      return Optional.of(loader.load(definition).graph());
    } catch (DefinitionException e) {
      return Optional.empty();
    }
  }
}
