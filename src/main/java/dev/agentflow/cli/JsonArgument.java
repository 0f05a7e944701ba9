package dev.agentflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.LocatedDocument;
import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.ReadLimits;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * A JSON value given on the command line ({@code --input}, {@code --data}, a {@code --send}
 * payload): the text itself or {@code @FILE}. Parsed strictly: one value and nothing after it, not
 * empty, read within the reader's limits; problems say where in the text or file.
 */
final class JsonArgument {

  /**
   * Inputs may nest deeper than definitions (they are data) and be larger; what Temporal accepts is
   * checked separately ({@link PayloadLimit}).
   */
  static final ReadLimits LIMITS = new ReadLimits(64 * 1024 * 1024, ReadLimits.MAX_DEPTH_CAP,
      ReadLimits.DEFAULT_MAX_EXPRESSION_DEPTH);

  private JsonArgument() {}

  /** The value, with where its text came from for locating later problems; or a usage error. */
  static LocatedDocument parse(String option, String value) {
    if (value.startsWith("@")) {
      Path file = Path.of(value.substring(1));
      OptionFiles.requireFile(option, file);
      try {
        return LocatedDocument.readJson(file, LIMITS);
      } catch (DefinitionException e) {
        throw CliException.usage(option + " " + value + " is not valid JSON:\n" + indented(e));
      }
    }
    try {
      return LocatedDocument.parseJson(value, "<" + option.replaceFirst("^--", "") + ">", LIMITS);
    } catch (DefinitionException e) {
      throw CliException.usage(option + " is not valid JSON:\n" + indented(e));
    }
  }

  /** The value of {@link #parse}. */
  static JsonNode value(String option, String value) {
    return parse(option, value).root();
  }

  /** Each problem on its own indented line. */
  static String indented(DefinitionException e) {
    return e.problems().stream().map(Problem::toString).map(line -> "  " + line)
        .collect(Collectors.joining("\n"));
  }
}
