package dev.agentflow.engine.blob;

/** A reference points at nothing: the store was wiped, or workers do not share one store. */
public class BlobNotFoundException extends RuntimeException {

  public BlobNotFoundException(String ref) {
    super("no blob " + ref + " in the blob store (do all workers share the same store?)");
  }
}
