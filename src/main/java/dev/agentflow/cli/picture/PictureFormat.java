package dev.agentflow.cli.picture;

import java.util.Locale;

/** The formats a picture is written in. */
public enum PictureFormat {
  MERMAID, DOT, SVG;

  /** Writes {@code picture} in this format. */
  public String write(Picture picture) {
    return switch (this) {
      case MERMAID -> MermaidWriter.write(picture);
      case DOT -> DotWriter.write(picture);
      case SVG -> SvgWriter.write(picture);
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
