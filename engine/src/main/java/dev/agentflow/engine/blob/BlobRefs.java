package dev.agentflow.engine.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The reference format every {@link BlobStore} shares ({@code sha256:<64 lowercase hex digits>} of
 * the content), so a value written through one store is found under the same reference in another.
 */
final class BlobRefs {

  private static final String PREFIX = "sha256:";
  private static final Pattern REF = Pattern.compile("sha256:[0-9a-f]{64}");

  private BlobRefs() {}

  /** The reference of these bytes. */
  static String of(byte[] content) {
    try {
      return PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /**
   * Returns the reference unchanged when well formed.
   *
   * @throws IllegalArgumentException when it is null or not {@code sha256:<64 hex digits>}
   */
  static String requireValid(String ref) {
    if (ref == null || !REF.matcher(ref).matches()) {
      throw new IllegalArgumentException("not a blob reference: " + ref);
    }
    return ref;
  }
}
