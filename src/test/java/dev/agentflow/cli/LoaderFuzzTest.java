package dev.agentflow.cli;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes every file kind {@code agentflow validate} reads (definitions, offline scripts, run inputs,
 * expected outputs, events) with mutations of the examples, asserting through {@link LoaderOracle}
 * that only located problems ever come back, in bounded time and memory.
 *
 * <p>{@link #mutated_examples_get_located_problems_only} is a Jazzer fuzz test: in a normal build it
 * runs in regression mode on the committed corpus in {@code
 * src/test/resources/dev/agentflow/cli/LoaderFuzzTestInputs/}; a fuzzing run is
 * <pre>JAZZER_FUZZ=1 ./mvnw -B -pl src -am test -Dtest=LoaderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Djazzer.max_duration=10m</pre>
 * which writes any crashing input to that directory (commit it with its fix). {@link
 * #seeded_mutations_get_located_problems_only} runs a fixed, seeded sequence of mutations in every build.
 */
class LoaderFuzzTest {

  /** Seeded iterations per build: about a minute on the CI machine. */
  static final int SEEDED_ITERATIONS = Integer.getInteger("agentflow.fuzz.iterations", 400);

  private static Path directory;
  private static LoaderOracle oracle;

  @BeforeAll
  static void copyExamples() throws IOException {
    directory = Files.createTempDirectory("loader-fuzz");
    oracle = new LoaderOracle(directory);
  }

  @AfterAll
  static void report() throws IOException {
    System.out.printf("loader fuzz: slowest check %d ms, most allocated %d MiB (%s), %d problems seen%n",
        oracle.maxMillis, oracle.maxAllocated / (1024 * 1024), oracle.maxAllocatedAt, oracle.problemsSeen);
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(directory);
  }

  @FuzzTest(maxDuration = "5m")
  void mutated_examples_get_located_problems_only(FuzzedDataProvider data) throws IOException {
    oracle.checkOneMutation(FuzzChoices.of(data));
  }

  @Test
  void seeded_mutations_get_located_problems_only() throws IOException {
    Random random = new Random(20261130L);
    for (int i = 0; i < SEEDED_ITERATIONS; i++) {
      oracle.checkOneMutation(FuzzChoices.of(random));
    }
  }
}
