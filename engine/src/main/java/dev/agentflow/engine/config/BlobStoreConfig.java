package dev.agentflow.engine.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where message histories and large values live. Every worker of a deployment must see the same
 * store: a local directory serves one machine, PostgreSQL serves several.
 *
 * @param type {@code directory}, {@code postgres}, or {@code inline} (references off: values travel
 *     through workflow history by value; nothing is stored, long runs hit Temporal's size limits)
 * @param path directory of a {@code directory} store; {@code ~/} means the home directory; null for
 *     the default ({@code $AGENTFLOW_HOME/blobs} or {@code ~/.agentflow/blobs})
 * @param url JDBC URL of a {@code postgres} store
 * @param user database user of a {@code postgres} store
 * @param passwordEnv name of the environment variable holding the database password (never the
 *     password itself)
 */
public record BlobStoreConfig(String type, String path, String url, String user, String passwordEnv) {

  public static final String DIRECTORY = "directory";
  public static final String POSTGRES = "postgres";
  public static final String INLINE = "inline";

  public BlobStoreConfig {
    type = type == null ? DIRECTORY : type.trim().toLowerCase(Locale.ROOT);
    if (!type.equals(DIRECTORY) && !type.equals(POSTGRES) && !type.equals(INLINE)) {
      throw new IllegalArgumentException("blobStore.type must be directory, postgres or inline, was '" + type + "'");
    }
    if (type.equals(POSTGRES) && (url == null || url.isBlank())) {
      throw new IllegalArgumentException("blobStore.url (a jdbc:postgresql:// URL) is required for type postgres");
    }
  }

  /** The local directory store at its default location. */
  public static BlobStoreConfig defaultDirectory() {
    return new BlobStoreConfig(DIRECTORY, null, null, null, null);
  }

  /** The directory of a {@code directory} store with {@code ~} expanded, or null for the default. */
  public Path directory() {
    if (path == null || path.isBlank()) {
      return null;
    }
    if (path.equals("~") || path.startsWith("~/")) {
      return Path.of(System.getProperty("user.home")).resolve(path.substring(Math.min(2, path.length())));
    }
    return Path.of(path);
  }
}
