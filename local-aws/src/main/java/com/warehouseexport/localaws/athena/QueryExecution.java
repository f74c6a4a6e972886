package com.warehouseexport.localaws.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One query execution; fields change under the object's lock. Saved as JSON in the state file. */
final class QueryExecution {
    static final String QUEUED = "QUEUED";
    static final String RUNNING = "RUNNING";
    static final String SUCCEEDED = "SUCCEEDED";
    static final String FAILED = "FAILED";
    static final String CANCELLED = "CANCELLED";

    final String id;
    final String query;
    final String statementType;
    final String database;
    final String catalog;
    final String workGroup;
    /** The output location asked for (a directory, ending in '/'). */
    final String outputDirectory;
    final List<String> parameters;
    final String clientRequestToken;
    final Instant submittedAt;

    String state = QUEUED;
    String stateChangeReason;
    Instant startedAt;
    Instant completedAt;
    long rows = -1;
    long bytes;
    int sequenceNumber = 1;
    String dataManifestLocation;
    /** Athena ColumnInfo of a SELECT's result, set when it succeeds. */
    ArrayNode columns;
    /** Set once an UNLOAD checked its target and began writing: a rerun after a crash cleans the target first. */
    boolean unloadStarted;

    QueryExecution(String id, String query, String statementType, String database, String catalog, String workGroup,
                   String outputDirectory, List<String> parameters, String clientRequestToken, Instant submittedAt) {
        this.id = id;
        this.query = query;
        this.statementType = statementType;
        this.database = database;
        this.catalog = catalog;
        this.workGroup = workGroup;
        this.outputDirectory = outputDirectory;
        this.parameters = List.copyOf(parameters);
        this.clientRequestToken = clientRequestToken;
        this.submittedAt = submittedAt;
    }

    synchronized boolean isFinal() {
        return state.equals(SUCCEEDED) || state.equals(FAILED) || state.equals(CANCELLED);
    }

    synchronized String state() {
        return state;
    }

    /** {@code s3://bucket/prefix/<id>.csv}: where a SELECT's result file goes. */
    String resultLocation() {
        return outputDirectory + id + ".csv";
    }

    synchronized ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode n = f.objectNode();
        n.put("id", id);
        n.put("query", query);
        n.put("statementType", statementType);
        n.put("database", database);
        n.put("catalog", catalog);
        n.put("workGroup", workGroup);
        n.put("outputDirectory", outputDirectory);
        ArrayNode params = n.putArray("parameters");
        parameters.forEach(params::add);
        n.put("clientRequestToken", clientRequestToken);
        n.put("submittedAt", submittedAt.toString());
        n.put("state", state);
        n.put("stateChangeReason", stateChangeReason);
        n.put("startedAt", startedAt == null ? null : startedAt.toString());
        n.put("completedAt", completedAt == null ? null : completedAt.toString());
        n.put("rows", rows);
        n.put("bytes", bytes);
        n.put("sequenceNumber", sequenceNumber);
        n.put("dataManifestLocation", dataManifestLocation);
        n.set("columns", columns);
        n.put("unloadStarted", unloadStarted);
        return n;
    }

    static QueryExecution fromJson(JsonNode n) {
        List<String> params = new ArrayList<>();
        n.path("parameters").forEach(p -> params.add(p.asText()));
        QueryExecution q = new QueryExecution(n.get("id").asText(), n.get("query").asText(),
            n.get("statementType").asText(), text(n, "database"), text(n, "catalog"), n.get("workGroup").asText(),
            n.get("outputDirectory").asText(), params, text(n, "clientRequestToken"),
            Instant.parse(n.get("submittedAt").asText()));
        q.state = n.get("state").asText();
        q.stateChangeReason = text(n, "stateChangeReason");
        q.startedAt = instant(n, "startedAt");
        q.completedAt = instant(n, "completedAt");
        q.rows = n.path("rows").asLong(-1);
        q.bytes = n.path("bytes").asLong(0);
        q.sequenceNumber = n.path("sequenceNumber").asInt(1);
        q.dataManifestLocation = text(n, "dataManifestLocation");
        q.columns = n.get("columns") instanceof ArrayNode a ? a : null;
        q.unloadStarted = n.path("unloadStarted").asBoolean(false);
        return q;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String t = text(n, field);
        return t == null ? null : Instant.parse(t);
    }
}
