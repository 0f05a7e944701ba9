package dev.agentflow.dsl.internal;

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
 */
public final class CanonicalJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CanonicalJson() {}

  public static String of(JsonNode definition) {
    try {
      return MAPPER.writeValueAsString(normalise(definition));
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

  private static JsonNode normalise(JsonNode node) {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      node.properties().forEach(entry -> keys.add(entry.getKey()));
      keys.sort(null);
      ObjectNode sorted = NODES.objectNode();
      for (String key : keys) {
        sorted.set(key, normalise(node.get(key)));
      }
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode array = NODES.arrayNode();
      node.forEach(item -> array.add(normalise(item)));
      return array;
    }
    if (node.isNumber()) {
      return normaliseNumber(node);
    }
    return node;
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
