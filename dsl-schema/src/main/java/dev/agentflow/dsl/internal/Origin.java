package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a definition being loaded came from, as far as its child graphs care.
 *
 * @param directory what {@code path:} graphs are relative to; empty for text, which never reads
 *     files
 * @param files the files being loaded above this one (absolute), to find cycles of paths
 * @param costLimitedByParent true when a graph above this one limits cost, so this one's models
 *     need prices too
 * @param parentEgress the {@code egress} object of the graph directly above this one, or null when
 *     that graph does not narrow egress (or there is none): this graph must stay inside it
 */
public record Origin(Optional<Path> directory, List<Path> files, boolean costLimitedByParent, JsonNode parentEgress) {

  /** A definition given as text or a tree: no directory, no file reads. */
  public static Origin text() {
    return new Origin(Optional.empty(), List.of(), false, null);
  }

  /** This origin for a child of a graph whose {@code egress} is {@code egress} (null: none). */
  Origin below(JsonNode egress) {
    return new Origin(directory, files, costLimitedByParent, egress);
  }

  /** The origin of {@code file} loaded below this one. */
  public Origin file(Path file, boolean costLimited) {
    Path parent = file.getParent();
    List<Path> chain = new ArrayList<>(files);
    chain.add(absolute(file));
    return new Origin(Optional.of(parent == null ? Path.of("") : parent), List.copyOf(chain),
        costLimited, parentEgress);
  }

  /** The origin of a child graph written inside this definition. */
  Origin inline(boolean costLimited) {
    return new Origin(directory, files, costLimited, parentEgress);
  }

  /** The origin of a pinned child: it was resolved already, so it reads no files. */
  Origin pinned(boolean costLimited) {
    return new Origin(Optional.empty(), files, costLimited, parentEgress);
  }

  static Path absolute(Path file) {
    return file.toAbsolutePath().normalize();
  }
}
