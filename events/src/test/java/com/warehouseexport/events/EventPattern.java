package com.warehouseexport.events;

import java.util.List;
import java.util.Map;

/**
 * The part of EventBridge pattern matching the template uses: lists of exact values and {@code {"prefix": ...}}
 * entries, nested by field. Anything else fails loudly so the test cannot pass by ignoring it.
 */
final class EventPattern {

    private EventPattern() {
    }

    static boolean matches(Map<String, Object> pattern, Map<String, Object> event) {
        for (Map.Entry<String, Object> field : pattern.entrySet()) {
            Object actual = event.get(field.getKey());
            if (field.getValue() instanceof Map<?, ?>) {
                if (!(actual instanceof Map<?, ?>)
                        || !matches(SamTemplate.map(field.getValue()), SamTemplate.map(actual))) {
                    return false;
                }
            } else if (!matchesAny(SamTemplate.list(field.getValue()), actual)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAny(List<Object> alternatives, Object actual) {
        if (alternatives.isEmpty()) {
            throw new IllegalArgumentException("pattern values must be a non-empty list");
        }
        for (Object alternative : alternatives) {
            if (alternative instanceof String exact) {
                if (exact.equals(actual)) {
                    return true;
                }
            } else if (alternative instanceof Map<?, ?> operator && operator.size() == 1
                    && operator.get("prefix") instanceof String prefix) {
                if (actual instanceof String value && value.startsWith(prefix)) {
                    return true;
                }
            } else {
                throw new IllegalArgumentException("pattern matching not supported here: " + alternative);
            }
        }
        return false;
    }
}
