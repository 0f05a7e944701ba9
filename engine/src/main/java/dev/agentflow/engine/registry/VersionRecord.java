package dev.agentflow.engine.registry;

import java.time.Instant;

/**
 * One deployed version of a graph: immutable once written.
 *
 * @param sha256 lower-case hex sha256 of its canonical JSON; the content is blob {@code sha256:<hex>}
 */
public record VersionRecord(String name, int version, String sha256, Instant deployedAt) {}
