package dev.agentflow.dsl.internal;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * Every YAML anchor ({@code &name}) in a text, with where it is written. Jackson's streaming parser
 * drops the anchor of a scalar without a trace, so anchors are found on the YAML library's own
 * event stream (aliases it does flag, and {@link DocumentReader} reports those).
 */
final class YamlAnchors {

  record Anchor(String name, SourcePosition position) {}

  private YamlAnchors() {}

  /** The anchors, in text order; empty for text without '&' or text that does not parse. */
  static List<Anchor> find(String text, LoaderOptions options) {
    List<Anchor> anchors = new ArrayList<>();
    if (text.indexOf('&') < 0) {
      return anchors;
    }
    try {
      for (Event event : new Yaml(options).parse(new StringReader(text))) {
        if (event instanceof NodeEvent node && !event.is(Event.ID.Alias) && node.getAnchor() != null) {
          anchors.add(new Anchor(node.getAnchor(),
              new SourcePosition(event.getStartMark().getLine() + 1, event.getStartMark().getColumn() + 1)));
        }
      }
    } catch (YAMLException e) {
      // a syntax error: the main read reports it with its position
    }
    return anchors;
  }
}
