package com.warehouseexport.localaws.redshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything the Data API remembers about one statement. The request fields are fixed at submission; the
 * status fields change under the record's own lock, and every change is journaled as a full snapshot.
 */
final class StatementRecord {

    static final String SUBMITTED = "SUBMITTED";
    static final String PICKED = "PICKED";
    static final String STARTED = "STARTED";
    static final String FINISHED = "FINISHED";
    static final String FAILED = "FAILED";
    static final String ABORTED = "ABORTED";
    static final Set<String> FINAL = Set.of(FINISHED, FAILED, ABORTED);

    record Parameter(String name, String value) {
    }

    final String id;
    final String sql;
    final String statementName;
    final String clusterIdentifier;
    final String workgroupName;
    final String database;
    final String dbUser;
    final String secretArn;
    final boolean withEvent;
    final String clientToken;
    final List<Parameter> parameters;
    final Instant createdAt;
    final long redshiftQueryId;

    String status = SUBMITTED;
    Instant updatedAt;
    Instant startedAt;
    long durationNanos = -1;
    String error;
    long resultRows = -1;
    long resultSize = -1;
    boolean hasResultSet;
    long redshiftPid = -1;
    /** S3 keys an UNLOAD announced before uploading; deleted again if the statement has to run anew. */
    List<String> pendingKeys = List.of();

    StatementRecord(String id, String sql, String statementName, String clusterIdentifier, String workgroupName,
                    String database, String dbUser, String secretArn, boolean withEvent, String clientToken,
                    List<Parameter> parameters, Instant createdAt, long redshiftQueryId) {
        this.id = id;
        this.sql = sql;
        this.statementName = statementName;
        this.clusterIdentifier = clusterIdentifier;
        this.workgroupName = workgroupName;
        this.database = database;
        this.dbUser = dbUser;
        this.secretArn = secretArn;
        this.withEvent = withEvent;
        this.clientToken = clientToken;
        this.parameters = List.copyOf(parameters);
        this.createdAt = createdAt;
        this.redshiftQueryId = redshiftQueryId;
        this.updatedAt = createdAt;
    }

    synchronized boolean isFinal() {
        return FINAL.contains(status);
    }

    synchronized String status() {
        return status;
    }

    /** Duration so far (running) or in total (final), in nanoseconds; -1 before the statement started. */
    synchronized long currentDuration(Instant now) {
        if (durationNanos >= 0) {
            return durationNanos;
        }
        return startedAt == null ? -1 : Duration.between(startedAt, now).toNanos();
    }

    synchronized ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", id);
        n.put("sql", sql);
        n.put("statementName", statementName);
        n.put("clusterIdentifier", clusterIdentifier);
        n.put("workgroupName", workgroupName);
        n.put("database", database);
        n.put("dbUser", dbUser);
        n.put("secretArn", secretArn);
        n.put("withEvent", withEvent);
        n.put("clientToken", clientToken);
        ArrayNode params = n.putArray("parameters");
        parameters.forEach(p -> params.addObject().put("name", p.name()).put("value", p.value()));
        n.put("createdAt", createdAt.toString());
        n.put("redshiftQueryId", redshiftQueryId);
        n.put("status", status);
        n.put("updatedAt", updatedAt.toString());
        n.put("startedAt", startedAt == null ? null : startedAt.toString());
        n.put("durationNanos", durationNanos);
        n.put("error", error);
        n.put("resultRows", resultRows);
        n.put("resultSize", resultSize);
        n.put("hasResultSet", hasResultSet);
        n.put("redshiftPid", redshiftPid);
        ArrayNode keys = n.putArray("pendingKeys");
        pendingKeys.forEach(keys::add);
        return n;
    }

    static StatementRecord fromJson(JsonNode n) {
        List<Parameter> params = new ArrayList<>();
        n.path("parameters").forEach(p -> params.add(new Parameter(p.path("name").asText(), p.path("value").asText())));
        StatementRecord r = new StatementRecord(n.path("id").asText(), n.path("sql").asText(), text(n, "statementName"),
            text(n, "clusterIdentifier"), text(n, "workgroupName"), text(n, "database"), text(n, "dbUser"),
            text(n, "secretArn"), n.path("withEvent").asBoolean(), text(n, "clientToken"), params,
            Instant.parse(n.path("createdAt").asText()), n.path("redshiftQueryId").asLong());
        r.status = n.path("status").asText();
        r.updatedAt = Instant.parse(n.path("updatedAt").asText());
        r.startedAt = text(n, "startedAt") == null ? null : Instant.parse(n.path("startedAt").asText());
        r.durationNanos = n.path("durationNanos").asLong(-1);
        r.error = text(n, "error");
        r.resultRows = n.path("resultRows").asLong(-1);
        r.resultSize = n.path("resultSize").asLong(-1);
        r.hasResultSet = n.path("hasResultSet").asBoolean();
        r.redshiftPid = n.path("redshiftPid").asLong(-1);
        List<String> keys = new ArrayList<>();
        n.path("pendingKeys").forEach(k -> keys.add(k.asText()));
        r.pendingKeys = List.copyOf(keys);
        return r;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
