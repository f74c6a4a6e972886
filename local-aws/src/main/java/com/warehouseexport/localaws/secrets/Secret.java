package com.warehouseexport.localaws.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** One secret with its versions; the service holds the lock, so nothing here is thread-safe on its own. */
final class Secret {
    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";

    final String name;
    final String arn;
    final Instant createdDate;
    String description;
    String kmsKeyId;
    final Map<String, String> tags = new LinkedHashMap<>();
    Instant lastChangedDate;
    Instant lastAccessedDate;
    /** When a scheduled deletion takes effect; null while the secret is not scheduled for deletion. */
    Instant deletionDate;
    final Map<String, Version> versions = new LinkedHashMap<>();

    /** One value of the secret: exactly one of {@code secretString} and {@code secretBinary} (base64). */
    static final class Version {
        final String versionId;
        final String secretString;
        final String secretBinary;
        final Instant createdDate;
        final Set<String> stages = new LinkedHashSet<>();

        Version(String versionId, String secretString, String secretBinary, Instant createdDate) {
            this.versionId = versionId;
            this.secretString = secretString;
            this.secretBinary = secretBinary;
            this.createdDate = createdDate;
        }

        boolean hasValue(String string, String binary) {
            return Objects.equals(secretString, string) && Objects.equals(secretBinary, binary);
        }
    }

    Secret(String name, String arn, Instant createdDate) {
        this.name = name;
        this.arn = arn;
        this.createdDate = createdDate;
        this.lastChangedDate = createdDate;
    }

    boolean isScheduledForDeletion() {
        return deletionDate != null;
    }

    Optional<Version> versionWithStage(String stage) {
        return versions.values().stream().filter(v -> v.stages.contains(stage)).findFirst();
    }

    /**
     * Adds a version and moves the given staging labels to it. When AWSCURRENT moves, the version that had it
     * gets AWSPREVIOUS, as Secrets Manager does.
     */
    void addVersion(Version version, Collection<String> stages) {
        versions.put(version.versionId, version);
        Version previous = null;
        for (String stage : stages) {
            for (Version other : versions.values()) {
                if (other != version && other.stages.remove(stage) && stage.equals(CURRENT)) {
                    previous = other;
                }
            }
            version.stages.add(stage);
        }
        if (previous != null) {
            versions.values().forEach(v -> v.stages.remove(PREVIOUS));
            previous.stages.add(PREVIOUS);
        }
    }

    /** Versions that still carry a staging label (others are deprecated and not shown). */
    Map<String, List<String>> versionIdsToStages() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        versions.values().stream().filter(v -> !v.stages.isEmpty())
            .forEach(v -> map.put(v.versionId, new ArrayList<>(v.stages)));
        return map;
    }

    // ---- the state file

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", name).put("arn", arn).put("createdDate", createdDate.toString())
            .put("lastChangedDate", lastChangedDate.toString());
        putIfSet(node, "description", description);
        putIfSet(node, "kmsKeyId", kmsKeyId);
        putIfSet(node, "lastAccessedDate", lastAccessedDate == null ? null : lastAccessedDate.toString());
        putIfSet(node, "deletionDate", deletionDate == null ? null : deletionDate.toString());
        ObjectNode tagNode = node.putObject("tags");
        tags.forEach(tagNode::put);
        ArrayNode versionNodes = node.putArray("versions");
        for (Version version : versions.values()) {
            ObjectNode v = versionNodes.addObject();
            v.put("versionId", version.versionId).put("createdDate", version.createdDate.toString());
            putIfSet(v, "secretString", version.secretString);
            putIfSet(v, "secretBinary", version.secretBinary);
            version.stages.forEach(v.putArray("stages")::add);
        }
        return node;
    }

    static Secret fromJson(JsonNode node) {
        Secret secret = new Secret(node.get("name").asText(), node.get("arn").asText(),
            Instant.parse(node.get("createdDate").asText()));
        secret.lastChangedDate = Instant.parse(node.get("lastChangedDate").asText());
        secret.description = textOrNull(node, "description");
        secret.kmsKeyId = textOrNull(node, "kmsKeyId");
        secret.lastAccessedDate = instantOrNull(node, "lastAccessedDate");
        secret.deletionDate = instantOrNull(node, "deletionDate");
        node.path("tags").fields().forEachRemaining(e -> secret.tags.put(e.getKey(), e.getValue().asText()));
        for (JsonNode v : node.path("versions")) {
            Version version = new Version(v.get("versionId").asText(), textOrNull(v, "secretString"),
                textOrNull(v, "secretBinary"), Instant.parse(v.get("createdDate").asText()));
            v.path("stages").forEach(s -> version.stages.add(s.asText()));
            secret.versions.put(version.versionId, version);
        }
        return secret;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instantOrNull(JsonNode node, String field) {
        String text = textOrNull(node, field);
        return text == null ? null : Instant.parse(text);
    }
}
