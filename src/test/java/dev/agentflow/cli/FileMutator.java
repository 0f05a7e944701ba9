package dev.agentflow.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mutates the text of an example file the way careless hands and hostile inputs do: deletions,
 * duplications, a value swapped for one of another type, huge values, deep nesting (of mappings,
 * sequences and expression brackets), and bytes that are not UTF-8.
 */
final class FileMutator {

  private static final Pattern VALUE = Pattern.compile("(:\\s+)([^\\s{\\[\\n][^\\n,}\\]]*)");
  private static final String[] SWAPS = {
    "1", "-7", "0", "3.5e308", "1e999999", "true", "null", "~", "\"\"", "''", "[]", "{}", "[1, [2, {a: b}]]",
    "{kind: end}", "\"${\"", "\"${input.}\"", "'`${`'", "*alias", "&anchor x", "<<: *base", "!!binary aGk=", "!!set {a}",
    "\"\\ud800\"", "99999999999999999999999999999", "env:X", "\"((((\"", "'))'", "\"#\"", "- a", "| \n  block",
  };

  private FileMutator() {}

  static byte[] mutate(byte[] seed, FuzzChoices choices) {
    String text = new String(seed, StandardCharsets.UTF_8);
    int mutations = choices.pick(1, 4);
    byte[] bytes = null;
    for (int i = 0; i < mutations; i++) {
      switch (choices.pick(0, 8)) {
        case 0 -> text = deleteRange(text, choices);
        case 1 -> text = deleteLine(text, choices);
        case 2 -> text = duplicateLine(text, choices);
        case 3, 4 -> text = swapValue(text, choices);
        case 5 -> text = hugeValue(text, choices);
        case 6 -> text = deepValue(text, choices);
        case 7 -> text = splice(text, choices);
        default -> bytes = badBytes(text.getBytes(StandardCharsets.UTF_8), choices);
      }
    }
    return bytes != null ? bytes : text.getBytes(StandardCharsets.UTF_8);
  }

  private static String deleteRange(String text, FuzzChoices choices) {
    if (text.isEmpty()) {
      return text;
    }
    int start = choices.pick(0, text.length() - 1);
    int end = Math.min(text.length(), start + choices.pick(1, 40));
    return text.substring(0, start) + text.substring(end);
  }

  private static String deleteLine(String text, FuzzChoices choices) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    if (lines.isEmpty()) {
      return text;
    }
    lines.remove(choices.pick(0, lines.size() - 1));
    return String.join("\n", lines) + "\n";
  }

  private static String duplicateLine(String text, FuzzChoices choices) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    if (lines.isEmpty()) {
      return text;
    }
    int at = choices.pick(0, lines.size() - 1);
    lines.add(choices.pick(0, lines.size()), lines.get(at));
    return String.join("\n", lines) + "\n";
  }

  /** Replaces the value after the n-th {@code key: } with a value of another type. */
  private static String swapValue(String text, FuzzChoices choices) {
    Matcher matcher = VALUE.matcher(text);
    List<int[]> values = new ArrayList<>();
    while (matcher.find()) {
      values.add(new int[] {matcher.start(2), matcher.end(2)});
    }
    if (values.isEmpty()) {
      return text;
    }
    int[] value = values.get(choices.pick(0, values.size() - 1));
    String replacement = SWAPS[choices.pick(0, SWAPS.length - 1)];
    return text.substring(0, value[0]) + replacement + text.substring(value[1]);
  }

  private static String hugeValue(String text, FuzzChoices choices) {
    String unit = switch (choices.pick(0, 4)) {
      case 0 -> "x";
      case 1 -> "a-";
      case 2 -> "!";
      case 3 -> "1+";
      default -> "${1}";
    };
    int repeat = choices.pick(1, 300_000 / unit.length());
    String huge = unit.repeat(repeat);
    String quoted = choices.pick(0, 1) == 0 ? "\"" + huge + "\"" : huge;
    return insertAtValue(text, quoted, choices);
  }

  private static String deepValue(String text, FuzzChoices choices) {
    int depth = choices.pick(1, 3000);
    String deep = switch (choices.pick(0, 3)) {
      case 0 -> "[".repeat(depth) + "]".repeat(depth);
      case 1 -> "{a: ".repeat(depth) + "1" + "}".repeat(depth);
      case 2 -> "\"" + "(".repeat(depth) + "1" + ")".repeat(depth) + "\"";
      default -> "\"${" + "`${".repeat(depth) + "\"";
    };
    return insertAtValue(text, deep, choices);
  }

  private static String insertAtValue(String text, String value, FuzzChoices choices) {
    Matcher matcher = VALUE.matcher(text);
    List<int[]> values = new ArrayList<>();
    while (matcher.find()) {
      values.add(new int[] {matcher.start(2), matcher.end(2)});
    }
    if (values.isEmpty()) {
      return text + "\nx: " + value + "\n";
    }
    int[] at = values.get(choices.pick(0, values.size() - 1));
    return text.substring(0, at[0]) + value + text.substring(at[1]);
  }

  /** Raw characters from the fuzzer at a random place. */
  private static String splice(String text, FuzzChoices choices) {
    String inserted = new String(choices.bytes(24), StandardCharsets.ISO_8859_1);
    int at = text.isEmpty() ? 0 : choices.pick(0, text.length());
    return text.substring(0, at) + inserted + text.substring(at);
  }

  /** Bytes that are not UTF-8: Latin-1, a lone continuation byte, NUL, a UTF-16 byte order mark. */
  private static byte[] badBytes(byte[] bytes, FuzzChoices choices) {
    byte[][] bad = {{(byte) 0xE9}, {(byte) 0x80}, {0}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xC3}, {(byte) 0xF8, 1, 2}};
    byte[] chosen = bad[choices.pick(0, bad.length - 1)];
    int at = chosen.length == 2 && choices.pick(0, 1) == 0 ? 0 : choices.pick(0, bytes.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + chosen.length);
    out.write(bytes, 0, at);
    out.write(chosen, 0, chosen.length);
    out.write(bytes, at, bytes.length - at);
    return out.toByteArray();
  }
}
