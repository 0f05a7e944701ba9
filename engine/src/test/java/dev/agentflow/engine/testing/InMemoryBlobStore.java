package dev.agentflow.engine.testing;

import dev.agentflow.engine.blob.BlobNotFoundException;
import dev.agentflow.engine.blob.BlobStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A content-addressed {@link BlobStore} in memory, with the same references as the directory store. */
public final class InMemoryBlobStore implements BlobStore {

  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

  @Override
  public String put(byte[] content) {
    String ref = "sha256:" + sha256Hex(content);
    blobs.putIfAbsent(ref, content.clone());
    return ref;
  }

  @Override
  public byte[] get(String ref) {
    byte[] content = blobs.get(ref);
    if (content == null) {
      throw new BlobNotFoundException(ref);
    }
    return content.clone();
  }

  /** How many distinct blobs are stored. */
  public int size() {
    return blobs.size();
  }

  private static String sha256Hex(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
