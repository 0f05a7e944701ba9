package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.ReadLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a file for the loader: its size is checked before its bytes are read (a 20 MB file is
 * refused without reading 20 MB), then {@link SourceText} decodes them. Problems name the file as
 * given.
 */
public final class SourceFiles {

  private SourceFiles() {}

  public static SourceText read(Path file, ReadLimits limits) {
    String name = file.toString();
    try {
      if (Files.isDirectory(file)) {
        return failed(name, "is a directory, not a file");
      }
      long size = Files.size(file);
      if (size > limits.maxBytes()) {
        return new SourceText(null, List.of(SourceText.tooLarge(name, size, limits)));
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(limits.maxBytes() + 1);
      }
      return SourceText.decode(bytes, name, limits);
    } catch (NoSuchFileException e) {
      return failed(name, "file not found");
    } catch (IOException e) {
      return failed(name, "cannot read the file: " + e.getMessage());
    }
  }

  private static SourceText failed(String name, String message) {
    return new SourceText(null, List.of(new Problem(name, 0, 0, "", message)));
  }
}
