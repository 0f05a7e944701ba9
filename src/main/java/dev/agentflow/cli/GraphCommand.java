package dev.agentflow.cli;

import dev.agentflow.cli.picture.PictureBuilder;
import dev.agentflow.cli.picture.PictureFormat;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.ReadLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentflow graph}: a definition as a picture, for review. Mermaid (the default) pastes into
 * Markdown; DOT goes to Graphviz; SVG is laid out in this process, with nothing to install.
 */
@Command(name = "graph", mixinStandardHelpOptions = true,
    description = "Draw a definition: nodes by kind, routes with their conditions, loops and bounds, fan-outs and subgraphs as clusters.")
final class GraphCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "definition file (YAML or JSON)")
  Path definition;

  @Option(names = "--format", defaultValue = "mermaid", paramLabel = "mermaid|dot|svg",
      converter = FormatConverter.class, description = "output format (default: ${DEFAULT-VALUE})")
  PictureFormat format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE instead of the terminal")
  Path output;

  @Option(names = "--max-bytes", defaultValue = "" + ReadLimits.DEFAULT_MAX_BYTES, paramLabel = "BYTES",
      description = "largest definition file read (default: ${DEFAULT-VALUE})")
  int maxBytes;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    OptionFiles.requireFile("FILE", definition);
    if (maxBytes < 1) {
      throw CliException.usage("--max-bytes must be at least 1");
    }
    LoadedDefinition loaded;
    try {
      loaded = DefinitionLoader.withoutToolCheck(ReadLimits.DEFAULTS.withMaxBytes(maxBytes)).load(definition);
    } catch (DefinitionException e) {
      throw CliException.failed(definition + "\n" + JsonArgument.indented(e));
    }
    String text = format.write(PictureBuilder.of(loaded.graph()));
    if (output != null) {
      Files.writeString(output, text);
    } else {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  /** {@code mermaid}, {@code dot} or {@code svg}, in any case. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<PictureFormat> {
    @Override
    public PictureFormat convert(String value) {
      try {
        return PictureFormat.valueOf(value.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not one of mermaid, dot, svg");
      }
    }
  }
}
