package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.ReadLimits;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns a file's bytes into text, or says exactly why not: too large (both sizes, before any
 * parsing), UTF-16 or UTF-32 (a byte order mark), or not UTF-8 (the first bad byte with its line,
 * column and offset). A UTF-8 byte order mark is dropped.
 *
 * @param text the decoded text, or null when {@code problems} is not empty
 * @param problems what is wrong with the bytes; empty when {@code text} is usable
 */
public record SourceText(String text, List<Problem> problems) {

  public SourceText {
    problems = List.copyOf(problems);
  }

  /** Decodes {@code bytes} read from {@code sourceName}. */
  public static SourceText decode(byte[] bytes, String sourceName, ReadLimits limits) {
    if (bytes.length > limits.maxBytes()) {
      return failed(tooLarge(sourceName, bytes.length, limits));
    }
    String bom = byteOrderMark(bytes);
    if (bom != null) {
      return failed(new Problem(sourceName, 1, 1, "",
          "the file is " + bom + " (it starts with a " + bom + " byte order mark); save it as UTF-8"));
    }
    int start = startsWith(bytes, 0xEF, 0xBB, 0xBF) ? 3 : 0;
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      return failed(notUtf8(sourceName, bytes, in.position(), out.flip()));
    }
    decoder.flush(out);
    String text = out.flip().toString();
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      SourcePosition at = position(text, nul);
      return failed(new Problem(sourceName, at.line(), at.column(), "",
          "a NUL character at line " + at.line() + ", column " + at.column()
              + ": the file looks like UTF-16 or binary data; save it as UTF-8 text"));
    }
    return new SourceText(text, List.of());
  }

  /** Checks text that was never bytes (a definition given as a string) against the size cap. */
  public static SourceText ofText(String text, String sourceName, ReadLimits limits) {
    long bytes = utf8Length(text);
    if (bytes > limits.maxBytes()) {
      return failed(tooLarge(sourceName, bytes, limits));
    }
    return new SourceText(text, List.of());
  }

  /** The size-cap problem: it names both sizes. It has no line: it is about the whole file. */
  public static Problem tooLarge(String sourceName, long bytes, ReadLimits limits) {
    return new Problem(sourceName, 0, 0, "",
        "the file is " + ReadLimits.describeSize(bytes) + " (" + bytes + " bytes), more than the limit of "
            + ReadLimits.describeSize(limits.maxBytes()) + " (" + limits.maxBytes()
            + " bytes); nothing was parsed (raise the limit with --max-bytes if the file is meant to be this large)");
  }

  private static SourceText failed(Problem problem) {
    return new SourceText(null, List.of(problem));
  }

  private static String byteOrderMark(byte[] bytes) {
    if (startsWith(bytes, 0x00, 0x00, 0xFE, 0xFF) || startsWith(bytes, 0xFF, 0xFE, 0x00, 0x00)) {
      return "UTF-32";
    }
    if (startsWith(bytes, 0xFE, 0xFF) || startsWith(bytes, 0xFF, 0xFE)) {
      return "UTF-16";
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static Problem notUtf8(String sourceName, byte[] bytes, int offset, CharSequence before) {
    SourcePosition at = position(before, before.length());
    String hex = String.format("0x%02X", bytes[offset] & 0xFF);
    return new Problem(sourceName, at.line(), at.column(), "",
        "the file is not UTF-8: byte " + hex + " at line " + at.line() + ", column " + at.column()
            + " (byte offset " + offset + ") is not valid UTF-8 (Latin-1 or Windows-1252?); save the file as UTF-8");
  }

  /** Line and column (1-based, in characters) of character {@code index} of {@code text}. */
  private static SourcePosition position(CharSequence text, int index) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        lineStart = i + 1;
      }
    }
    return new SourcePosition(line, index - lineStart + 1);
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
