package com.warehouseexport.localruntime.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * EventBridge event pattern matching. A pattern is a JSON object whose leaves are arrays of matchers; a field
 * matches when any matcher matches its value (or, for an array value, any element). Matchers: exact values (string,
 * number, boolean, null), {@code prefix}, {@code suffix}, {@code equals-ignore-case}, {@code wildcard},
 * {@code anything-but} (a value, a list, or a prefix/suffix/equals-ignore-case/wildcard), {@code numeric}
 * (comparisons joined by AND), {@code exists}, {@code cidr}, and {@code $or} between sub-patterns.
 */
public final class EventPattern {
    private final JsonNode pattern;

    private EventPattern(JsonNode pattern) {
        this.pattern = pattern;
    }

    /** Checks the pattern's shape up front, as PutRule does. */
    public static EventPattern of(JsonNode pattern) {
        if (pattern == null || !pattern.isObject()) {
            throw new IllegalArgumentException("Event pattern is not a JSON object: " + pattern);
        }
        validate(pattern, "");
        return new EventPattern(pattern);
    }

    public boolean matches(JsonNode event) {
        return matchObject(pattern, event);
    }

    private static void validate(JsonNode pattern, String path) {
        pattern.fields().forEachRemaining(field -> {
            String where = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (field.getKey().equals("$or")) {
                if (!value.isArray() || value.size() < 2) {
                    throw new IllegalArgumentException("Event pattern: $or needs at least two patterns at " + where);
                }
                value.forEach(p -> validate(p, path));
            } else if (value.isObject()) {
                validate(value, where);
            } else if (!value.isArray()) {
                throw new IllegalArgumentException("Event pattern: match value must be put inside a JSON array at "
                    + where);
            } else {
                value.forEach(matcher -> validateMatcher(matcher, where));
            }
        });
    }

    private static void validateMatcher(JsonNode matcher, String where) {
        if (!matcher.isObject()) {
            return;
        }
        if (matcher.size() != 1) {
            throw new IllegalArgumentException("Event pattern: a matcher object has exactly one key at " + where);
        }
        String operator = matcher.fieldNames().next();
        if (!List.of("prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists",
            "cidr").contains(operator)) {
            throw new IllegalArgumentException("Event pattern: unrecognized match type " + operator + " at " + where);
        }
        if (operator.equals("numeric")) {
            numericChecks(matcher.get("numeric"));
        }
    }

    private static boolean matchObject(JsonNode pattern, JsonNode event) {
        for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("$or")) {
                boolean any = false;
                for (JsonNode alternative : field.getValue()) {
                    any |= matchObject(alternative, event);
                }
                if (!any) {
                    return false;
                }
                continue;
            }
            JsonNode value = event == null || !event.isObject() ? MissingNode.getInstance()
                : event.path(field.getKey());
            JsonNode expected = field.getValue();
            boolean ok;
            if (expected.isObject()) {
                ok = value.isArray() ? anyElementMatchesObject(expected, value) : matchObject(expected, value);
            } else {
                ok = matchField(expected, value);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyElementMatchesObject(JsonNode pattern, JsonNode array) {
        for (JsonNode element : array) {
            if (matchObject(pattern, element)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchField(JsonNode matchers, JsonNode value) {
        if (value.isMissingNode()) {
            for (JsonNode matcher : matchers) {
                if (matcher.isObject() && matcher.has("exists") && !matcher.get("exists").asBoolean()) {
                    return true;
                }
            }
            return false;
        }
        List<JsonNode> values = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(values::add);
        } else {
            values.add(value);
        }
        for (JsonNode matcher : matchers) {
            if (matcher.isObject() && matcher.has("exists")) {
                // exists: true matches a present leaf; exists: false never matches a present one
                if (matcher.get("exists").asBoolean() && !value.isObject()) {
                    return true;
                }
                continue;
            }
            if (matcher.isObject() && matcher.has("anything-but")) {
                // for an array value, anything-but matches when some element is outside the excluded set
                for (JsonNode v : values) {
                    if (anythingBut(matcher.get("anything-but"), v)) {
                        return true;
                    }
                }
                continue;
            }
            for (JsonNode v : values) {
                if (matchValue(matcher, v)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matchValue(JsonNode matcher, JsonNode value) {
        if (!matcher.isObject()) {
            return exactlyEquals(matcher, value);
        }
        String operator = matcher.fieldNames().next();
        JsonNode argument = matcher.get(operator);
        switch (operator) {
            case "prefix":
                return value.isTextual() && textMatch(argument, value.asText(), true);
            case "suffix":
                return value.isTextual() && textMatch(argument, value.asText(), false);
            case "equals-ignore-case":
                return value.isTextual() && value.asText().equalsIgnoreCase(argument.asText());
            case "wildcard":
                return value.isTextual() && wildcard(argument.asText(), value.asText());
            case "numeric":
                return value.isNumber() && numeric(argument, value.decimalValue().doubleValue());
            case "cidr":
                return value.isTextual() && cidr(argument.asText(), value.asText());
            default:
                return false;
        }
    }

    /** prefix/suffix take a string, or {"equals-ignore-case": string}. */
    private static boolean textMatch(JsonNode argument, String text, boolean prefix) {
        if (argument.isObject() && argument.has("equals-ignore-case")) {
            String expected = argument.get("equals-ignore-case").asText().toLowerCase(Locale.ROOT);
            String lower = text.toLowerCase(Locale.ROOT);
            return prefix ? lower.startsWith(expected) : lower.endsWith(expected);
        }
        return prefix ? text.startsWith(argument.asText()) : text.endsWith(argument.asText());
    }

    private static boolean anythingBut(JsonNode argument, JsonNode value) {
        if (argument.isArray()) {
            for (JsonNode excluded : argument) {
                if (exactlyEquals(excluded, value)) {
                    return false;
                }
            }
            return true;
        }
        if (argument.isObject()) {
            String operator = argument.fieldNames().next();
            JsonNode inner = argument.get(operator);
            if (!value.isTextual()) {
                return true;
            }
            String text = value.asText();
            switch (operator) {
                case "prefix":
                    return !text.startsWith(inner.asText());
                case "suffix":
                    return !text.endsWith(inner.asText());
                case "equals-ignore-case":
                    if (inner.isArray()) {
                        for (JsonNode excluded : inner) {
                            if (text.equalsIgnoreCase(excluded.asText())) {
                                return false;
                            }
                        }
                        return true;
                    }
                    return !text.equalsIgnoreCase(inner.asText());
                case "wildcard":
                    return !wildcard(inner.asText(), text);
                default:
                    throw new IllegalArgumentException("Event pattern: unsupported anything-but " + operator);
            }
        }
        return !exactlyEquals(argument, value);
    }

    /** Strings and booleans compare exactly; numbers by value (EventBridge compares 5 and 5.0 as equal). */
    private static boolean exactlyEquals(JsonNode expected, JsonNode value) {
        if (expected.isNumber() && value.isNumber()) {
            return expected.decimalValue().compareTo(value.decimalValue()) == 0;
        }
        if (expected.isNull()) {
            return value.isNull();
        }
        return expected.getNodeType() == value.getNodeType() && expected.equals(value);
    }

    private record NumericCheck(String operator, double operand) {
    }

    private static List<NumericCheck> numericChecks(JsonNode argument) {
        if (!argument.isArray() || argument.size() == 0 || argument.size() % 2 != 0) {
            throw new IllegalArgumentException("Event pattern: numeric takes operator/value pairs, got " + argument);
        }
        List<NumericCheck> checks = new ArrayList<>();
        for (int i = 0; i < argument.size(); i += 2) {
            String operator = argument.get(i).asText();
            if (!List.of("=", "<", "<=", ">", ">=").contains(operator) || !argument.get(i + 1).isNumber()) {
                throw new IllegalArgumentException("Event pattern: bad numeric comparison " + argument);
            }
            checks.add(new NumericCheck(operator, argument.get(i + 1).asDouble()));
        }
        return checks;
    }

    private static boolean numeric(JsonNode argument, double value) {
        for (NumericCheck check : numericChecks(argument)) {
            boolean ok = switch (check.operator()) {
                case "=" -> value == check.operand();
                case "<" -> value < check.operand();
                case "<=" -> value <= check.operand();
                case ">" -> value > check.operand();
                default -> value >= check.operand();
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** '*' matches any run of characters; "\\*" is a literal star. */
    private static boolean wildcard(String pattern, String text) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(text).matches();
    }

    private static boolean cidr(String block, String address) {
        // literal addresses only: InetAddress would resolve a host name
        if (!address.matches("[0-9a-fA-F:.]+") || !block.matches("[0-9a-fA-F:.]+/\\d+")) {
            return false;
        }
        try {
            int slash = block.indexOf('/');
            byte[] network = InetAddress.getByName(block.substring(0, slash)).getAddress();
            byte[] candidate = InetAddress.getByName(address).getAddress();
            if (network.length != candidate.length) {
                return false;
            }
            int bits = Integer.parseInt(block.substring(slash + 1));
            BigInteger mask = BigInteger.ONE.shiftLeft(network.length * 8).subtract(BigInteger.ONE)
                .shiftRight(bits).not();
            return new BigInteger(1, network).and(mask).equals(new BigInteger(1, candidate).and(mask));
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }
}
