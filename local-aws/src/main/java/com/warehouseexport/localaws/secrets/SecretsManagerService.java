package com.warehouseexport.localaws.secrets;

import com.warehouseexport.localaws.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.http.AwsServiceException;
import com.warehouseexport.localaws.http.JsonProtocolService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * AWS Secrets Manager (JSON 1.1, target prefix {@code secretsmanager}): CreateSecret, GetSecretValue,
 * PutSecretValue, DescribeSecret, ListSecrets, DeleteSecret and RestoreSecret, with the real service's staging
 * labels, ARNs, idempotency tokens, error codes and texts. State is one JSON file in the state directory,
 * rewritten atomically after every change.
 */
public final class SecretsManagerService implements JsonProtocolService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_FILE = "secretsmanager.json";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    private static final String SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int DEFAULT_RECOVERY_DAYS = 30;
    private static final int MAX_LIST_RESULTS = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    static final String NOT_FOUND = "Secrets Manager can't find the specified secret.";
    static final String MARKED_FOR_DELETION =
        "You can't perform this operation on the secret because it was marked for deletion.";

    private final Path stateFile;
    private final String region;
    private final String accountId;
    private final Map<String, Secret> secrets = new LinkedHashMap<>();

    public SecretsManagerService(Path stateDirOrNull, String region, String accountId) {
        this.stateFile = stateDirOrNull == null ? null : stateDirOrNull.resolve(STATE_FILE);
        this.region = region;
        this.accountId = accountId;
        if (stateFile != null) {
            load();
        }
    }

    @Override
    public String targetPrefix() {
        return "secretsmanager";
    }

    @Override
    public synchronized JsonNode handle(String operation, JsonNode request) {
        purgeExpiredDeletions();
        return switch (operation) {
            case "CreateSecret" -> createSecret(request);
            case "GetSecretValue" -> getSecretValue(request);
            case "PutSecretValue" -> putSecretValue(request);
            case "DescribeSecret" -> describeSecret(request);
            case "ListSecrets" -> listSecrets(request);
            case "DeleteSecret" -> deleteSecret(request);
            case "RestoreSecret" -> restoreSecret(request);
            default -> throw new AwsServiceException(400, "UnknownOperationException",
                "Operation " + operation + " is not supported by this Secrets Manager emulator");
        };
    }

    // ---- operations

    private JsonNode createSecret(JsonNode request) {
        String name = required(request, "Name");
        if (!NAME.matcher(name).matches()) {
            throw invalidParameter("Invalid name. Must be a valid name containing alphanumeric characters, "
                + "or any of the following: -/_+=.@!");
        }
        String string = text(request, "SecretString");
        String binary = text(request, "SecretBinary");
        if (string != null && binary != null) {
            throw invalidParameter(
                "You can't specify both a binary secret value and a string secret value in the same secret.");
        }
        String token = clientRequestToken(request);
        Secret existing = secrets.get(name);
        if (existing != null) {
            if (existing.isScheduledForDeletion()) {
                throw invalidRequest("You can't create this secret because a secret with this name is already "
                    + "scheduled for deletion.");
            }
            Secret.Version version = existing.versions.get(token);
            if (version != null && version.hasValue(string, binary)) {
                return nameAndArn(existing).put("VersionId", version.versionId);  // a retried call
            }
            throw new AwsServiceException(400, "ResourceExistsException",
                "The operation failed because the secret " + name + " already exists.");
        }
        Instant now = now();
        Secret secret = new Secret(name, arnFor(name), now);
        secret.description = text(request, "Description");
        secret.kmsKeyId = text(request, "KmsKeyId");
        for (JsonNode tag : request.path("Tags")) {
            secret.tags.put(tag.path("Key").asText(), tag.path("Value").asText(""));
        }
        ObjectNode response = nameAndArn(secret);
        if (string != null || binary != null) {
            secret.addVersion(new Secret.Version(token, string, binary, now), List.of(Secret.CURRENT));
            response.put("VersionId", token);
        }
        secrets.put(name, secret);
        save();
        return response;
    }

    private JsonNode getSecretValue(JsonNode request) {
        Secret secret = resolve(required(request, "SecretId"));
        requireNotScheduledForDeletion(secret);
        String versionId = text(request, "VersionId");
        String stage = text(request, "VersionStage");
        Secret.Version version;
        if (versionId != null) {
            version = secret.versions.get(versionId);
            if (version == null) {
                throw notFound("Secrets Manager can't find the specified secret value for VersionId: " + versionId);
            }
            if (stage != null && !version.stages.contains(stage)) {
                throw invalidRequest("You provided a VersionStage that is not associated to the provided VersionId.");
            }
        } else {
            String wanted = stage == null ? Secret.CURRENT : stage;
            version = secret.versionWithStage(wanted).orElseThrow(() -> notFound(
                "Secrets Manager can't find the specified secret value for staging label: " + wanted));
        }
        // The real service records access by day only; writing the file once a day is enough too.
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        if (!today.equals(secret.lastAccessedDate)) {
            secret.lastAccessedDate = today;
            save();
        }
        ObjectNode response = nameAndArn(secret).put("VersionId", version.versionId);
        if (version.secretString != null) {
            response.put("SecretString", version.secretString);
        }
        if (version.secretBinary != null) {
            response.put("SecretBinary", version.secretBinary);
        }
        version.stages.forEach(response.putArray("VersionStages")::add);
        response.put("CreatedDate", epochSeconds(version.createdDate));
        return response;
    }

    private JsonNode putSecretValue(JsonNode request) {
        Secret secret = resolve(required(request, "SecretId"));
        requireNotScheduledForDeletion(secret);
        String string = text(request, "SecretString");
        String binary = text(request, "SecretBinary");
        if (string != null && binary != null) {
            throw invalidParameter(
                "You can't specify both a binary secret value and a string secret value in the same secret.");
        }
        if (string == null && binary == null) {
            throw invalidParameter("You must provide either SecretString or SecretBinary.");
        }
        String token = clientRequestToken(request);
        Secret.Version version = secret.versions.get(token);
        if (version != null) {
            if (!version.hasValue(string, binary)) {
                throw new AwsServiceException(400, "ResourceExistsException",
                    "You can't modify an existing version, you can only create a new version.");
            }
        } else {
            List<String> stages = new ArrayList<>();
            request.path("VersionStages").forEach(s -> stages.add(s.asText()));
            if (stages.isEmpty()) {
                stages.add(Secret.CURRENT);
            }
            Instant now = now();
            version = new Secret.Version(token, string, binary, now);
            secret.addVersion(version, stages);
            secret.lastChangedDate = now;
            save();
        }
        ObjectNode response = nameAndArn(secret).put("VersionId", version.versionId);
        version.stages.forEach(response.putArray("VersionStages")::add);
        return response;
    }

    private JsonNode describeSecret(JsonNode request) {
        Secret secret = resolve(required(request, "SecretId"));
        ObjectNode response = details(secret);
        putStages(response.putObject("VersionIdsToStages"), secret);
        return response;
    }

    private JsonNode listSecrets(JsonNode request) {
        boolean includePlannedDeletion = request.path("IncludePlannedDeletion").asBoolean(false);
        Predicate<Secret> filter = SecretFilters.parse(request.path("Filters"));
        Comparator<Secret> order = switch (request.path("SortBy").asText("created-date")) {
            case "name" -> Comparator.comparing(s -> s.name);
            case "last-changed-date" -> Comparator.comparing(s -> s.lastChangedDate);
            case "last-accessed-date" -> Comparator.comparing(s -> s.lastAccessedDate,
                Comparator.nullsFirst(Comparator.naturalOrder()));
            default -> Comparator.comparing(s -> s.createdDate);
        };
        if ("desc".equals(request.path("SortOrder").asText("asc"))) {
            order = order.reversed();
        }
        List<Secret> matching = secrets.values().stream()
            .filter(s -> includePlannedDeletion || !s.isScheduledForDeletion())
            .filter(filter)
            .sorted(order)
            .toList();
        int maxResults = request.has("MaxResults") ? request.get("MaxResults").asInt() : MAX_LIST_RESULTS;
        if (maxResults < 1 || maxResults > MAX_LIST_RESULTS) {
            throw AwsServiceException.validation("1 validation error detected: Value '" + maxResults
                + "' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100");
        }
        int start = request.hasNonNull("NextToken") ? decodeToken(request.get("NextToken").asText()) : 0;
        int end = Math.min(matching.size(), start + maxResults);
        ObjectNode response = JSON.createObjectNode();
        ArrayNode list = response.putArray("SecretList");
        for (Secret secret : matching.subList(Math.min(start, matching.size()), end)) {
            ObjectNode entry = details(secret);
            putStages(entry.putObject("SecretVersionsToStages"), secret);
            list.add(entry);
        }
        if (end < matching.size()) {
            response.put("NextToken", encodeToken(end));
        }
        return response;
    }

    private JsonNode deleteSecret(JsonNode request) {
        String secretId = required(request, "SecretId");
        boolean force = request.path("ForceDeleteWithoutRecovery").asBoolean(false);
        Long recoveryDays = request.hasNonNull("RecoveryWindowInDays")
            ? request.get("RecoveryWindowInDays").asLong() : null;
        if (force && recoveryDays != null) {
            throw invalidParameter(
                "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }
        if (recoveryDays != null && (recoveryDays < 7 || recoveryDays > 30)) {
            throw invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        Secret secret = find(secretId);
        Instant now = now();
        if (secret == null) {
            if (!force) {
                throw notFound(NOT_FOUND);
            }
            // The real service does not answer ResourceNotFoundException to a forced delete.
            ObjectNode response = JSON.createObjectNode()
                .put(secretId.startsWith("arn:") ? "ARN" : "Name", secretId);
            return response.put("DeletionDate", epochSeconds(now));
        }
        if (force) {
            secrets.remove(secret.name);
            secret.deletionDate = now;
        } else {
            requireNotScheduledForDeletion(secret);
            secret.deletionDate = now.plus(Duration.ofDays(recoveryDays == null ? DEFAULT_RECOVERY_DAYS : recoveryDays));
            secret.lastChangedDate = now;
        }
        save();
        return nameAndArn(secret).put("DeletionDate", epochSeconds(secret.deletionDate));
    }

    private JsonNode restoreSecret(JsonNode request) {
        Secret secret = resolve(required(request, "SecretId"));
        if (secret.isScheduledForDeletion()) {
            secret.deletionDate = null;
            secret.lastChangedDate = now();
            save();
        }
        return nameAndArn(secret);
    }

    // ---- lookup

    /** A name, a full ARN, or a partial ARN (an ARN without the "-" and six random characters). */
    private Secret resolve(String secretId) {
        Secret secret = find(secretId);
        if (secret == null) {
            throw notFound(NOT_FOUND);
        }
        return secret;
    }

    private Secret find(String secretId) {
        if (!secretId.startsWith("arn:")) {
            return secrets.get(secretId);
        }
        for (Secret secret : secrets.values()) {
            if (secret.arn.equals(secretId)) {
                return secret;
            }
        }
        String prefix = arnPrefix();
        return secretId.startsWith(prefix) ? secrets.get(secretId.substring(prefix.length())) : null;
    }

    private String arnPrefix() {
        String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        return "arn:" + partition + ":secretsmanager:" + region + ":" + accountId + ":secret:";
    }

    private String arnFor(String name) {
        StringBuilder suffix = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            suffix.append(SUFFIX_CHARS.charAt(RANDOM.nextInt(SUFFIX_CHARS.length())));
        }
        return arnPrefix() + name + "-" + suffix;
    }

    private void purgeExpiredDeletions() {
        Instant now = Instant.now();
        if (secrets.values().removeIf(s -> s.isScheduledForDeletion() && !s.deletionDate.isAfter(now))) {
            save();
        }
    }

    // ---- responses

    private static ObjectNode nameAndArn(Secret secret) {
        return JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name);
    }

    /** The fields DescribeSecret and ListSecrets share. */
    private static ObjectNode details(Secret secret) {
        ObjectNode node = nameAndArn(secret);
        if (secret.description != null) {
            node.put("Description", secret.description);
        }
        if (secret.kmsKeyId != null) {
            node.put("KmsKeyId", secret.kmsKeyId);
        }
        node.put("LastChangedDate", epochSeconds(secret.lastChangedDate));
        if (secret.lastAccessedDate != null) {
            node.put("LastAccessedDate", epochSeconds(secret.lastAccessedDate));
        }
        if (secret.deletionDate != null) {
            node.put("DeletedDate", epochSeconds(secret.deletionDate));
        }
        if (!secret.tags.isEmpty()) {
            ArrayNode tags = node.putArray("Tags");
            secret.tags.forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
        }
        node.put("CreatedDate", epochSeconds(secret.createdDate));
        return node;
    }

    private static void putStages(ObjectNode target, Secret secret) {
        secret.versionIdsToStages().forEach((id, stages) -> {
            ArrayNode labels = target.putArray(id);
            stages.forEach(labels::add);
        });
    }

    /** AWS JSON 1.1 timestamps: epoch seconds, here with millisecond fractions. */
    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- requests and errors

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String required(JsonNode request, String field) {
        String value = text(request, field);
        if (value == null) {
            String member = Character.toLowerCase(field.charAt(0)) + field.substring(1);
            throw AwsServiceException.validation("1 validation error detected: Value null at '" + member
                + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    /** The SDKs and the CLI always send one; a raw HTTP caller may not. */
    private static String clientRequestToken(JsonNode request) {
        String token = text(request, "ClientRequestToken");
        return token == null ? UUID.randomUUID().toString() : token;
    }

    private static void requireNotScheduledForDeletion(Secret secret) {
        if (secret.isScheduledForDeletion()) {
            throw invalidRequest(MARKED_FOR_DELETION);
        }
    }

    private static AwsServiceException notFound(String message) {
        return new AwsServiceException(400, "ResourceNotFoundException", message);
    }

    private static AwsServiceException invalidParameter(String message) {
        return new AwsServiceException(400, "InvalidParameterException", message);
    }

    private static AwsServiceException invalidRequest(String message) {
        return new AwsServiceException(400, "InvalidRequestException", message);
    }

    private static String encodeToken(int offset) {
        return Base64.getEncoder().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeToken(String token) {
        try {
            String text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            return Integer.parseInt(text.substring("offset:".length()));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new AwsServiceException(400, "InvalidNextTokenException", "The NextToken value is invalid.");
        }
    }

    // ---- state file

    private void load() {
        if (!Files.exists(stateFile)) {
            return;
        }
        try {
            for (JsonNode node : JSON.readTree(stateFile.toFile()).path("secrets")) {
                Secret secret = Secret.fromJson(node);
                secrets.put(secret.name, secret);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stateFile, e);
        }
    }

    private void save() {
        if (stateFile == null) {
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("secrets");
        secrets.values().forEach(s -> list.add(s.toJson()));
        try {
            Files.createDirectories(stateFile.getParent());
            AtomicFile.write(stateFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + stateFile, e);
        }
    }
}
