package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.ReadLimits;
import dev.agentflow.tools.ToolRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the fuzzers assert about reading any file of a project: {@code agentflow validate}'s check
 * answers with located problems only (file:line:column, or the whole file for the size cap) and
 * never with another exception, within bounded time and memory. Works on a copy of {@code
 * definitions/}, so scripts and inputs are checked against their real definitions.
 */
final class LoaderOracle {

  static final Path DEFINITIONS = Path.of("..", "definitions").toAbsolutePath().normalize();

  /** Far above what any input takes (the largest seen is reported by the seeded test). */
  static final long MAX_MILLIS = 30_000;
  static final long MAX_ALLOCATED_BYTES = 4L * 1024 * 1024 * 1024;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final Path directory;
  private final List<Path> seeds;
  private final ProjectFiles project = new ProjectFiles(ToolRegistry.loadFromClasspath().names(), ReadLimits.DEFAULTS);
  long maxMillis;
  long maxAllocated;
  String maxAllocatedAt = "";
  int problemsSeen;

  LoaderOracle(Path directory) {
    this.directory = directory;
    try (Stream<Path> files = Files.list(DEFINITIONS)) {
      this.seeds = files.filter(ProjectFiles::isProjectFile).sorted().toList();
      for (Path seed : seeds) {
        Files.copy(seed, directory.resolve(seed.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Mutates one example (chosen by {@code choices}), checks it, asserts the outcome, restores it. */
  void checkOneMutation(FuzzChoices choices) throws IOException {
    Path seed = seeds.get(choices.pick(0, seeds.size() - 1));
    Path file = directory.resolve(seed.getFileName());
    byte[] mutated = FileMutator.mutate(Files.readAllBytes(seed), choices);
    Files.write(file, mutated);
    try {
      check(file, mutated.length);
    } finally {
      Files.copy(seed, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void check(Path file, long size) {
    long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
    long started = System.nanoTime();
    ProjectFiles.Result result = project.check(file);
    long millis = (System.nanoTime() - started) / 1_000_000;
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
    maxMillis = Math.max(maxMillis, millis);
    if (allocated > maxAllocated) {
      maxAllocated = allocated;
      maxAllocatedAt = file.getFileName() + " (" + size + " bytes)";
      if (System.getProperty("agentflow.fuzz.keepLargest") != null) {
        try {
          Files.copy(file, Path.of(System.getProperty("agentflow.fuzz.keepLargest")),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    problemsSeen += result.problems().size();
    assertThat(millis).as("milliseconds to check %s", file).isLessThan(MAX_MILLIS);
    assertThat(allocated).as("bytes allocated to check %s", file).isLessThan(MAX_ALLOCATED_BYTES);
    for (Problem problem : result.problems()) {
      String shown = problem.toString().length() > 300 ? problem.toString().substring(0, 300) + "…" : problem.toString();
      assertThat(Path.of(problem.file()).getFileName().toString()).as(shown)
          .isIn(seeds.stream().map(seed -> seed.getFileName().toString()).toList());
      boolean wholeFile = size > ReadLimits.DEFAULT_MAX_BYTES && problem.message().contains("more than the limit");
      if (!wholeFile) {
        assertThat(problem.line()).as("a located problem: %s", shown).isPositive();
        assertThat(problem.column()).as("a located problem: %s", shown).isPositive();
      }
      assertThat(problem.message()).as("a short message: %s", shown).isNotBlank().hasSizeLessThan(4000);
    }
  }
}
