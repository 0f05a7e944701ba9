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
 * Makes sure the namespace a worker serves has the search attributes runs upsert ({@link
 * RunSearchAttributes}): upserting one the namespace lacks fails every workflow task of the run.
 * {@code agentflow worker} adds the missing ones through the OperatorService when it starts; when
 * the server cannot (no operator API, as on Temporal's Java test server, or no permission), the
 * worker still starts, says which attributes its runs will not set and why, and serves runs that do
 * not upsert them ({@code searchAttributes: off} for this worker).
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
      String reason = "the server would not list them: " + reason(e);
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
          instructions(namespace, missing, "adding them failed: " + reason(e)), e);
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

  /** The status in words: what kind of server or account this is. */
  static String reason(StatusRuntimeException e) {
    return switch (e.getStatus().getCode()) {
      case UNIMPLEMENTED -> "the server has no operator API for them (as Temporal's Java test server) ("
          + e.getStatus().getCode() + ")";
      case PERMISSION_DENIED, UNAUTHENTICATED -> "no permission (" + e.getMessage() + ")";
      default -> e.getMessage();
    };
  }

  /**
   * What a person reads when the worker cannot fix the namespace: which attributes runs will not
   * set, why, and one create command each for when they want them.
   */
  static String instructions(String namespace, Map<String, IndexedValueType> missing, String reason) {
    StringBuilder text = new StringBuilder()
        .append("runs will not set the search attributes ").append(String.join(", ", missing.keySet()))
        .append(": namespace '").append(namespace).append("' lacks them and ").append(reason)
        .append(". Runs are served without them (as with searchAttributes: off).")
        .append("\n  to have runs set them, create them and start the worker again:");
    missing.forEach((name, type) -> text
        .append("\n    temporal operator search-attribute create --namespace ").append(namespace)
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
