package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The one textual form of a definition that a run is pinned to: object keys sorted, no whitespace,
 * numbers normalised (a whole number is written without a fraction, so {@code 2.0} and {@code 2}
 * agree), UTF-8. Two files that differ only in key order, formatting, comments or YAML-versus-JSON
 * have the same canonical form and so the same sha256.
 *
 * <p>Two maps of the DSL are ordered, and keep the order they were written in: a node's {@code
 * set} (assigned in that order, later entries see earlier ones) and a parallel node's {@code
 * branches} (started in that order, numbered by {@code index}). Sorting them would make a run
 * submitted as canonical JSON (by {@code agentflow run}, or as a pinned child) behave differently
 * from the same YAML submitted as text. They are found by their place in the definition (a node of
 * {@code nodes}, including the nodes of inline and pinned child graphs), never by key name alone,
 * so a JSON Schema or tool argument that happens to have a {@code set} key is still sorted.
 */
public final class CanonicalJson {

  private static final ObjectMapper MAPPER = JsonMappers.json();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Where an object sits in a definition, as far as key order is concerned. */
  private enum Place {
    /** A definition, an inline child graph or a pinned one: its {@code nodes} hold nodes. */
    GRAPH,
    /** The {@code nodes} map of a graph. */
    NODE_MAP,
    /** One node: its {@code set} and {@code branches} keep their order. */
    NODE,
    /** A parallel node's {@code branches}: order kept, each value a child graph. */
    BRANCHES,
    /** A node's {@code set}: order kept. */
    SET,
    /** Anything else: keys sorted all the way down. */
    OTHER
  }

  private CanonicalJson() {}

  public static String of(JsonNode definition) {
    try {
      return MAPPER.writeValueAsString(normalise(definition, Place.GRAPH));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** Lower-case hex sha256 of the UTF-8 bytes of {@code text}. */
  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static JsonNode normalise(JsonNode node, Place place) {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      node.properties().forEach(entry -> keys.add(entry.getKey()));
      if (place != Place.SET && place != Place.BRANCHES) {
        keys.sort(null);
      }
      ObjectNode result = NODES.objectNode();
      for (String key : keys) {
        result.set(key, normalise(node.get(key), placeOf(place, key)));
      }
      return result;
    }
    if (node.isArray()) {
      ArrayNode array = NODES.arrayNode();
      node.forEach(item -> array.add(normalise(item, Place.OTHER)));
      return array;
    }
    if (node.isNumber()) {
      return normaliseNumber(node);
    }
    return node;
  }

  /** The place of the value under {@code key} of an object at {@code parent}. */
  private static Place placeOf(Place parent, String key) {
    return switch (parent) {
      case GRAPH -> switch (key) {
        case "nodes" -> Place.NODE_MAP;
        case "pinned" -> Place.GRAPH;
        default -> Place.OTHER;
      };
      case NODE_MAP -> Place.NODE;
      case NODE -> switch (key) {
        case "set" -> Place.SET;
        case "branches" -> Place.BRANCHES;
        case "graph" -> Place.GRAPH;
        default -> Place.OTHER;
      };
      case BRANCHES -> Place.GRAPH;
      case SET, OTHER -> Place.OTHER;
    };
  }

  private static JsonNode normaliseNumber(JsonNode number) {
    if ((number.isDouble() || number.isFloat()) && !Double.isFinite(number.doubleValue())) {
      return number;
    }
    if (number.isIntegralNumber()) {
      return number.canConvertToLong() ? NODES.numberNode(number.longValue()) : number;
    }
    BigDecimal decimal = number.decimalValue();
    if (decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0) {
      BigDecimal whole = decimal.stripTrailingZeros();
      if (whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
          && whole.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0) {
        return NODES.numberNode(whole.longValueExact());
      }
    }
    return NODES.numberNode(number.doubleValue());
  }
}
