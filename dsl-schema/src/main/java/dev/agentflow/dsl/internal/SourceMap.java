package dev.agentflow.dsl.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Where each value (and each object key) of a parsed definition starts in its text, by JSON
 * pointer, so that a problem found long after parsing can still say line:column.
 *
 * <p>Only looked up, never iterated, so a {@link HashMap} keeps it deterministic.
 *
 * <p>A child graph written inside its parent (inline, or pinned) is checked as a definition of its
 * own; {@link #relocated} gives it a view of the parent's map that turns the child's pointers into
 * the parent's, so its problems point into the parent's text.
 */
public final class SourceMap {

  private static final SourceMap EMPTY = new SourceMap("");

  private final Map<String, SourcePosition> values;
  private final Map<String, SourcePosition> keys;
  private final String[] lines;
  private final UnaryOperator<String> toText;

  SourceMap(String text) {
    this.values = new HashMap<>();
    this.keys = new HashMap<>();
    this.lines = text.split("\r\n|\r|\n", -1);
    this.toText = UnaryOperator.identity();
  }

  private SourceMap(SourceMap text, UnaryOperator<String> toText) {
    this.values = text.values;
    this.keys = text.keys;
    this.lines = text.lines;
    this.toText = toText;
  }

  /**
   * This map seen through {@code toThis}, which turns a pointer of the viewer (a child graph) into
   * a pointer of this map's document.
   */
  public SourceMap relocated(UnaryOperator<String> toThis) {
    return new SourceMap(this, pointer -> toText.apply(toThis.apply(pointer)));
  }

  /** The pointer of this map's text that {@code pointer} stands for (itself unless relocated). */
  public String inText(String pointer) {
    return toText.apply(pointer);
  }

  /** The map of a definition that did not come from text: every position is unknown. */
  public static SourceMap empty() {
    return EMPTY;
  }

  void recordValue(String pointer, SourcePosition position) {
    values.put(pointer, position);
  }

  void recordKey(String pointer, SourcePosition position) {
    keys.put(pointer, position);
  }

  /**
   * Where the value at {@code pointer} starts; for a missing value, the nearest ancestor that has a
   * position.
   */
  public SourcePosition valueAt(String pointer) {
    String current = toText.apply(pointer);
    while (true) {
      SourcePosition position = values.get(current);
      if (position != null) {
        return position;
      }
      if (current.isEmpty()) {
        return SourcePosition.UNKNOWN;
      }
      current = current.substring(0, current.lastIndexOf('/'));
    }
  }

  /**
   * Where the key naming the value at {@code pointer} starts (the {@code plan:} of a node), falling
   * back to the value's own position for array items and the document root.
   */
  public SourcePosition keyAt(String pointer) {
    SourcePosition key = keys.get(toText.apply(pointer));
    return key != null ? key : valueAt(pointer);
  }

  /**
   * The position of character {@code offset} of the string value at {@code pointer}, when the value
   * is written on one line without escapes (plain, or in single or double quotes), so that the
   * offset counts columns; otherwise the start of the value.
   */
  public SourcePosition inside(String pointer, String value, int offset) {
    SourcePosition start = values.get(toText.apply(pointer));
    if (start == null || start.line() > lines.length || offset < 0 || offset > value.length()) {
      return valueAt(pointer);
    }
    String line = lines[start.line() - 1];
    int index = start.column() - 1;
    if (index < line.length() && (line.charAt(index) == '"' || line.charAt(index) == '\'')) {
      index++;
    }
    if (!line.startsWith(value, index)) {
      return start;
    }
    return new SourcePosition(start.line(), index + 1 + offset);
  }
}
