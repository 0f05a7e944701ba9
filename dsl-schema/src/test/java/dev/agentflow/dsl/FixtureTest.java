package dev.agentflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file in {@code valid/} loads, and every file in {@code invalid/} fails with exactly the
 * problems its {@code # expect: <line>:<column>: <message substring>} header lines list (0:0 for a
 * problem about the whole file). A {@code # max-bytes: N} header loads the fixture with that size
 * cap, so the cap has a fixture without a megabyte of text.
 */
class FixtureTest {

  /** The tool registry the fixtures are written against. */
  static final Set<String> TOOLS = Set.of("http_get", "web_search", "write_file");

  private static final Pattern EXPECT = Pattern.compile("^# expect: (\\d+):(\\d+): (.+)$");
  private static final Pattern MAX_BYTES = Pattern.compile("^# max-bytes: (\\d+)$");

  private final DefinitionLoader loader = new DefinitionLoader(TOOLS);

  @TestFactory
  Stream<DynamicTest> every_valid_fixture_loads() throws Exception {
    return files("valid").map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> assertThatCode(() -> loader.load(file)).doesNotThrowAnyException()));
  }

  @TestFactory
  Stream<DynamicTest> every_invalid_fixture_reports_exactly_its_expected_problems() throws Exception {
    return files("invalid").map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> assertExpectedProblems(file)));
  }

  private void assertExpectedProblems(Path file) throws IOException {
    List<Expectation> expected = expectations(file);
    assertThat(expected).as("%s has no '# expect:' lines", file).isNotEmpty();
    DefinitionLoader fixtureLoader = maxBytes(file)
        .map(bytes -> new DefinitionLoader(TOOLS, ReadLimits.DEFAULTS.withMaxBytes(bytes)))
        .orElse(loader);
    DefinitionException rejection =
        catchThrowableOfType(DefinitionException.class, () -> fixtureLoader.load(file));
    assertThat(rejection).as("%s should be rejected", file).isNotNull();
    List<Problem> unmatched = new ArrayList<>(rejection.problems());
    List<Expectation> missing = new ArrayList<>();
    for (Expectation expectation : expected) {
      Problem match = unmatched.stream().filter(expectation::matches).findFirst().orElse(null);
      if (match == null) {
        missing.add(expectation);
      } else {
        unmatched.remove(match);
      }
    }
    String actual = rejection.problems().stream()
        .map(p -> "  " + p.line() + ":" + p.column() + ": " + p.message())
        .collect(Collectors.joining("\n"));
    assertThat(missing).as("expected problems not reported; actual:\n%s", actual).isEmpty();
    assertThat(unmatched).as("unexpected problems; actual:\n%s", actual).isEmpty();
    for (Problem problem : rejection.problems()) {
      assertThat(problem.file()).isEqualTo(file.toString());
    }
  }

  /** A fixture's {@code # max-bytes: N} header: the size cap it is loaded with. */
  private static Optional<Integer> maxBytes(Path file) throws IOException {
    for (String line : headerLines(file)) {
      Matcher matcher = MAX_BYTES.matcher(line);
      if (matcher.matches()) {
        return Optional.of(Integer.parseInt(matcher.group(1)));
      }
    }
    return Optional.empty();
  }

  /**
   * The fixture's lines, decoded leniently: the fixtures of encoding mistakes are not UTF-8, but
   * their headers are ASCII in Latin-1 or, behind a byte order mark, in UTF-16.
   */
  private static List<String> headerLines(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    boolean utf16 = bytes.length >= 2 && ((bytes[0] & 0xFF) == 0xFE || (bytes[0] & 0xFF) == 0xFF);
    if (utf16) {
      return new String(bytes, StandardCharsets.UTF_16).lines().toList();
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString().lines().toList();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1).lines().toList();
    }
  }

  private static List<Expectation> expectations(Path file) throws IOException {
    List<Expectation> expectations = new ArrayList<>();
    for (String line : headerLines(file)) {
      Matcher matcher = EXPECT.matcher(line);
      if (matcher.matches()) {
        expectations.add(new Expectation(Integer.parseInt(matcher.group(1)),
            Integer.parseInt(matcher.group(2)), matcher.group(3)));
      }
    }
    return expectations;
  }

  static Stream<Path> files(String folder) throws IOException, URISyntaxException {
    Path directory = Path.of(FixtureTest.class.getClassLoader().getResource(folder).toURI());
    try (Stream<Path> listing = Files.list(directory)) {
      List<Path> files = listing
          .filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".json"))
          .sorted()
          .toList();
      assertThat(files).as("fixtures in %s", folder).isNotEmpty();
      return files.stream();
    }
  }

  private record Expectation(int line, int column, String message) {
    boolean matches(Problem problem) {
      return problem.line() == line && problem.column() == column
          && problem.message().contains(message);
    }
  }
}
