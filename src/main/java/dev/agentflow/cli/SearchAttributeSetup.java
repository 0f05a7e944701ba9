package dev.agentflow.cli;

import dev.agentflow.engine.workflow.RunSearchAttributes;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Makes sure the namespace a worker serves has the search attributes every run upserts ({@link
 * RunSearchAttributes}): without them each workflow task of each run fails, and runs hang. {@code
 * agentflow worker} adds the missing ones through the OperatorService when it starts; when the
 * server refuses (no permission, say), the worker stops with a message naming them and the commands
 * that create them, instead of serving runs that cannot progress.
 */
final class SearchAttributeSetup {

  /** The namespace lacks attributes and they could not be added; the message says what to run. */
  static final class MissingSearchAttributesException extends Exception {
    MissingSearchAttributesException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private SearchAttributeSetup() {}

  /**
   * Adds the attributes {@code namespace} lacks and returns them (empty when none were missing).
   *
   * @throws MissingSearchAttributesException when listing or adding them fails
   */
  static Map<String, IndexedValueType> ensure(OperatorServiceStubs operator, String namespace)
      throws MissingSearchAttributesException {
    Map<String, IndexedValueType> missing;
    try {
      missing = missing(operator.blockingStub()
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap());
    } catch (StatusRuntimeException e) {
      String reason = "could not list its search attributes: " + e.getMessage();
      throw new MissingSearchAttributesException(instructions(namespace, RunSearchAttributes.definitions(), reason), e);
    }
    if (missing.isEmpty()) {
      return missing;
    }
    try {
      operator.blockingStub().addSearchAttributes(
          AddSearchAttributesRequest.newBuilder().setNamespace(namespace).putAllSearchAttributes(missing).build());
    } catch (StatusRuntimeException e) {
      throw new MissingSearchAttributesException(
          instructions(namespace, missing, "adding them failed: " + e.getMessage()), e);
    }
    return missing;
  }

  /** The attributes runs upsert that {@code existing} (a namespace's custom attributes, name to type) lacks, in a fixed order. */
  static Map<String, IndexedValueType> missing(Map<String, IndexedValueType> existing) {
    Map<String, IndexedValueType> missing = new LinkedHashMap<>();
    RunSearchAttributes.definitions().forEach((name, type) -> {
      if (!existing.containsKey(name)) {
        missing.put(name, type);
      }
    });
    return missing;
  }

  /** What a person reads when the worker cannot fix the namespace: the attributes and one create command each. */
  static String instructions(String namespace, Map<String, IndexedValueType> missing, String reason) {
    StringBuilder text = new StringBuilder()
        .append("namespace '").append(namespace).append("' needs the search attributes ")
        .append(String.join(", ", missing.keySet()))
        .append(" (every run upserts them); ").append(reason)
        .append("\ncreate them, then start the worker again:");
    missing.forEach((name, type) -> text
        .append("\n  temporal operator search-attribute create --namespace ").append(namespace)
        .append(" --name ").append(name).append(" --type ").append(typeName(type)));
    return text.toString();
  }

  /** The type as the Temporal CLI spells it: {@code INDEXED_VALUE_TYPE_KEYWORD_LIST} is {@code KeywordList}. */
  static String typeName(IndexedValueType type) {
    StringBuilder name = new StringBuilder();
    for (String word : type.name().replace("INDEXED_VALUE_TYPE_", "").split("_")) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }
}
