package dev.agentflow.engine.registry;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The registry index in a local directory ({@code $AGENTFLOW_HOME/registry} by default), for the
 * embedded default and single machines: {@code <name>/versions/<n>.json} and {@code
 * <name>/aliases/<alias>.json}.
 *
 * <p>A version file is written whole to a temporary file and then hard-linked to its name, which
 * the file system does atomically and only when the name is free: of two processes writing the
 * same version, exactly one links, and the other reads the winner's file. An alias file is replaced
 * with an atomic rename, so a reader sees the old route or the new one, never half of either.
 */
public final class DirectoryRegistryIndex implements RegistryIndex {

  private static final ObjectMapper JSON = JsonMappers.json();

  private final Path root;

  public DirectoryRegistryIndex(Path root) {
    this.root = root;
  }

  /** The default location: {@code $AGENTFLOW_HOME/registry}, else {@code ~/.agentflow/registry}. */
  public static DirectoryRegistryIndex atDefaultLocation() {
    String home = System.getenv("AGENTFLOW_HOME");
    Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".agentflow");
    return new DirectoryRegistryIndex(base.resolve("registry"));
  }

  public Path root() {
    return root;
  }

  @Override
  public Optional<VersionRecord> insert(VersionRecord version) {
    Path target = versionFile(version.name(), version.version());
    try {
      Files.createDirectories(target.getParent());
      Path temp = target.resolveSibling("." + version.version() + "." + UUID.randomUUID() + ".tmp");
      Files.write(temp, JSON.writeValueAsBytes(toJson(version)));
      try {
        Files.createLink(target, temp);
        return Optional.empty();
      } catch (FileAlreadyExistsException taken) {
        return find(version.name(), version.version());
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write version " + version.version() + " of '" + version.name() + "' under " + root, e);
    }
  }

  @Override
  public Optional<VersionRecord> find(String name, int version) {
    Path file = versionFile(name, version);
    try {
      return Optional.of(fromJson(JSON.readTree(Files.readAllBytes(file))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public List<VersionRecord> versions(String name) {
    Path dir = root.resolve(name).resolve("versions");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<VersionRecord> versions = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().matches("[0-9]+\\.json")).toList()) {
        versions.add(fromJson(JSON.readTree(Files.readAllBytes(file))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    versions.sort(Comparator.comparingInt(VersionRecord::version));
    return versions;
  }

  @Override
  public List<String> names() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(dir -> Files.isDirectory(dir.resolve("versions")))
          .map(dir -> dir.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  @Override
  public Map<String, AliasRoute> aliases(String name) {
    Path dir = root.resolve(name).resolve("aliases");
    Map<String, AliasRoute> aliases = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return aliases;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")
          && !f.getFileName().toString().startsWith(".")).toList()) {
        String alias = file.getFileName().toString().replaceFirst("\\.json$", "");
        aliases.put(alias, AliasRoute.parse(JSON.readTree(Files.readAllBytes(file)).path("route").asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return aliases;
  }

  @Override
  public void setAlias(String name, String alias, AliasRoute route) {
    Path target = root.resolve(name).resolve("aliases").resolve(alias + ".json");
    try {
      Files.createDirectories(target.getParent());
      ObjectNode json = JSON.createObjectNode().put("route", route.toString()).put("updatedAt", Instant.now().toString());
      Path temp = target.resolveSibling("." + alias + "." + UUID.randomUUID() + ".tmp");
      Files.write(temp, JSON.writeValueAsBytes(json));
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write alias '" + alias + "' of '" + name + "' under " + root, e);
    }
  }

  private Path versionFile(String name, int version) {
    return root.resolve(name).resolve("versions").resolve(version + ".json");
  }

  private static ObjectNode toJson(VersionRecord version) {
    return JSON.createObjectNode()
        .put("name", version.name())
        .put("version", version.version())
        .put("sha256", version.sha256())
        .put("deployedAt", version.deployedAt().toString());
  }

  private static VersionRecord fromJson(JsonNode json) {
    return new VersionRecord(json.path("name").asText(), json.path("version").asInt(), json.path("sha256").asText(),
        Instant.parse(json.path("deployedAt").asText()));
  }

  @Override
  public String toString() {
    return "directory " + root;
  }
}
