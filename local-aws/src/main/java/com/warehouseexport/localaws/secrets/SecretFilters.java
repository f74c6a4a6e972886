package com.warehouseexport.localaws.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.localaws.http.AwsServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * ListSecrets {@code Filters}: every filter must match; within one filter any plain value may match, and no
 * value written {@code !value} may. Matching is by prefix, case-sensitive except for description and all.
 */
final class SecretFilters {
    private static final List<String> KEYS =
        List.of("description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all");

    private SecretFilters() {
    }

    static Predicate<Secret> parse(JsonNode filters) {
        Predicate<Secret> all = s -> true;
        int index = 0;
        for (JsonNode filter : filters) {
            index++;
            String key = filter.path("Key").asText();
            if (!KEYS.contains(key)) {
                throw AwsServiceException.validation("1 validation error detected: Value '" + key + "' at 'filters."
                    + index + ".member.key' failed to satisfy constraint: Member must satisfy enum value set: "
                    + KEYS);
            }
            List<String> wanted = new ArrayList<>();
            List<String> unwanted = new ArrayList<>();
            for (JsonNode value : filter.path("Values")) {
                String text = value.asText();
                if (text.startsWith("!")) {
                    unwanted.add(text.substring(1));
                } else {
                    wanted.add(text);
                }
            }
            all = all.and(secret -> (wanted.isEmpty() || wanted.stream().anyMatch(v -> matches(secret, key, v)))
                && unwanted.stream().noneMatch(v -> matches(secret, key, v)));
        }
        return all;
    }

    private static boolean matches(Secret secret, String key, String value) {
        return switch (key) {
            case "name" -> secret.name.startsWith(value);
            case "description" -> startsWithIgnoreCase(secret.description, value);
            case "tag-key" -> secret.tags.keySet().stream().anyMatch(k -> k.startsWith(value));
            case "tag-value" -> secret.tags.values().stream().anyMatch(v -> v.startsWith(value));
            case "all" -> Stream.of(value.split("\\s+")).filter(w -> !w.isEmpty()).allMatch(word ->
                Stream.concat(Stream.of(secret.name, secret.description),
                        Stream.concat(secret.tags.keySet().stream(), secret.tags.values().stream()))
                    .anyMatch(attribute -> startsWithIgnoreCase(attribute, word)));
            default -> false; // primary-region, owning-service: no secret here is replicated or service-owned
        };
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text != null && text.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT));
    }
}
