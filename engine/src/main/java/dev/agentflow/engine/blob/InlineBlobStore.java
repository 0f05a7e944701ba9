package dev.agentflow.engine.blob;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * References turned off: the "reference" is the value itself, so conversations and large tool
 * results travel through workflow history by value, as in a workflow that passes its message list
 * to every activity. Nothing is shared between workers and nothing is stored, which suits small
 * runs on machines without a shared store; long runs hit Temporal's payload (2 MiB) and history
 * (50 MiB) limits, which is what this store exists to show next to the real ones.
 *
 * <p>References are {@code inline:utf8:<text>} for UTF-8 content (every JSON value, so the bytes in
 * history are the value's own size) and {@code inline:base64:<base64>} for anything else. Like the
 * content-addressed stores, the same bytes always give the same reference.
 */
public final class InlineBlobStore implements BlobStore {

  private static final String UTF8 = "inline:utf8:";
  private static final String BASE64 = "inline:base64:";

  @Override
  public String put(byte[] content) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
      return UTF8 + text;
    } catch (CharacterCodingException notText) {
      return BASE64 + Base64.getEncoder().encodeToString(content);
    }
  }

  @Override
  public byte[] get(String ref) {
    if (ref != null && ref.startsWith(UTF8)) {
      return ref.substring(UTF8.length()).getBytes(StandardCharsets.UTF_8);
    }
    if (ref != null && ref.startsWith(BASE64)) {
      try {
        return Base64.getDecoder().decode(ref.substring(BASE64.length()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not an inline reference (bad base64): " + preview(ref), e);
      }
    }
    throw new BlobNotFoundException(preview(ref));
  }

  private static String preview(String ref) {
    return ref == null || ref.length() <= 80 ? ref : ref.substring(0, 80) + "…";
  }
}
