package com.warehouseexport.localruntime.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IAM users the local API Gateway knows, from a JSON file
 * {@code {"principals": [{"name", "accessKeyId", "secretAccessKey", "arn", "userId"}]}}. The default set (two
 * partners) ships as the resource {@code principals.json}.
 */
public final class Principals {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Principal> byAccessKey = new LinkedHashMap<>();

    private Principals(List<Principal> principals) {
        principals.forEach(p -> byAccessKey.put(p.accessKeyId(), p));
    }

    public static Principals of(List<Principal> principals) {
        return new Principals(principals);
    }

    public static Principals defaults() {
        try (InputStream in = Principals.class.getResourceAsStream("/principals.json")) {
            if (in == null) {
                throw new IllegalStateException("principals.json is missing from the class path");
            }
            return parse(JSON.readTree(in), "principals.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Principals load(Path file) {
        try {
            return parse(JSON.readTree(Files.readAllBytes(file)), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read principals file " + file, e);
        }
    }

    private static Principals parse(JsonNode root, String source) {
        List<Principal> principals = new ArrayList<>();
        for (JsonNode p : root.path("principals")) {
            String name = p.path("name").asText();
            String accessKey = p.path("accessKeyId").asText();
            String secret = p.path("secretAccessKey").asText();
            String arn = p.path("arn").asText();
            if (accessKey.isEmpty() || secret.isEmpty() || arn.isEmpty()) {
                throw new IllegalArgumentException(source + ": every principal needs accessKeyId, secretAccessKey "
                    + "and arn");
            }
            String userId = p.path("userId").asText("AIDA" + accessKey);
            principals.add(new Principal(name.isEmpty() ? arn.substring(arn.lastIndexOf('/') + 1) : name, accessKey,
                secret, arn, userId));
        }
        if (principals.isEmpty()) {
            throw new IllegalArgumentException(source + " lists no principals");
        }
        return new Principals(principals);
    }

    public Optional<Principal> byAccessKey(String accessKeyId) {
        return Optional.ofNullable(byAccessKey.get(accessKeyId));
    }

    public List<Principal> all() {
        return List.copyOf(byAccessKey.values());
    }
}
