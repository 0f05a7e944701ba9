package dev.agentflow.engine.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * A blob store in a local directory ({@code ~/.agentflow/blobs} by default): one file per blob,
 * named by its sha256 and fanned out by the first two hex digits. Writes go to a temporary file
 * and are moved into place, so a reader never sees half a blob.
 */
public final class DirectoryBlobStore implements BlobStore {

  private final Path root;

  public DirectoryBlobStore(Path root) {
    this.root = root;
  }

  /** The default location: {@code $AGENTFLOW_HOME/blobs}, else {@code ~/.agentflow/blobs}. */
  public static DirectoryBlobStore atDefaultLocation() {
    String home = System.getenv("AGENTFLOW_HOME");
    Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".agentflow");
    return new DirectoryBlobStore(base.resolve("blobs"));
  }

  public Path root() {
    return root;
  }

  @Override
  public String put(byte[] content) {
    String hex = BlobRefs.of(content).substring("sha256:".length());
    Path target = pathOf(hex);
    if (Files.exists(target)) {
      return "sha256:" + hex;
    }
    try {
      Files.createDirectories(target.getParent());
      Path temp = target.resolveSibling(hex + "." + UUID.randomUUID() + ".tmp");
      Files.write(temp, content);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write blob under " + root, e);
    }
    return "sha256:" + hex;
  }

  @Override
  public byte[] get(String ref) {
    BlobRefs.requireValid(ref);
    try {
      return Files.readAllBytes(pathOf(ref.substring("sha256:".length())));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(ref);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blob " + ref + " under " + root, e);
    }
  }

  private Path pathOf(String hex) {
    return root.resolve(hex.substring(0, 2)).resolve(hex);
  }
}
