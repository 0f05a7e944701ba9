package dev.agentflow.engine.blob;

/**
 * Content-addressed, immutable storage for values too large for workflow history (conversations,
 * large tool results). The same bytes always get the same reference, so an activity that is retried
 * after a crash writes nothing new and returns the same reference.
 *
 * <p>References look like {@code sha256:<64 hex digits>}, except for {@link InlineBlobStore}
 * (references turned off), whose reference is the value itself.
 */
public interface BlobStore {

  /** Stores the bytes (a no-op when already present) and returns their reference. */
  String put(byte[] content);

  /**
   * Reads a blob.
   *
   * @throws BlobNotFoundException when no blob has that reference
   */
  byte[] get(String ref);
}
