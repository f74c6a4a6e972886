package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.sql.TextRules;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A string: printable characters only (see {@link TextRules}), length in code points between
 * {@code minLength} and {@code maxLength}, and, when given, matching {@code pattern} as a whole.
 */
public final class StringParameter extends ParameterSpec {
    /** Upper bound for any string parameter, whatever the catalog says: keeps UNLOAD text far below 100 KB. */
    public static final int MAX_LENGTH = 1024;

    private final Pattern pattern;
    private final int minLength;
    private final int maxLength;

    public StringParameter(String name, String description, boolean required,
                           String pattern, Integer minLength, Integer maxLength) {
        super(name, description, required);
        this.minLength = minLength == null ? 0 : minLength;
        this.maxLength = maxLength == null ? MAX_LENGTH : maxLength;
        if (this.minLength < 0 || this.maxLength < 1 || this.maxLength > MAX_LENGTH || this.minLength > this.maxLength) {
            throw new IllegalArgumentException("parameter '" + name + "': need 0 <= minLength <= maxLength <= "
                    + MAX_LENGTH + " and maxLength >= 1");
        }
        try {
            this.pattern = pattern == null ? null : Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("parameter '" + name + "': invalid pattern: " + e.getDescription());
        }
    }

    @Override
    public ParameterType type() {
        return ParameterType.STRING;
    }

    public Pattern pattern() {
        return pattern;
    }

    public int minLength() {
        return minLength;
    }

    public int maxLength() {
        return maxLength;
    }

    @Override
    ParameterValue parse(JsonNode raw) throws InvalidValue {
        if (!raw.isTextual()) {
            throw wrongType("a string");
        }
        String value = raw.textValue();
        // Length first: it bounds the work of the checks that follow.
        if (value.length() > 2 * maxLength) {
            throw new InvalidValue("too_long", "must be at most " + maxLength + " characters");
        }
        int bad = TextRules.firstForbidden(value);
        if (bad >= 0) {
            throw new InvalidValue("invalid_characters", "contains a control, non-printable or invalid character ("
                    + TextRules.describe(value.codePointAt(bad)) + ") at index " + bad);
        }
        int length = value.codePointCount(0, value.length());
        if (length > maxLength) {
            throw new InvalidValue("too_long", "must be at most " + maxLength + " characters");
        }
        if (length < minLength) {
            throw new InvalidValue("too_short", "must be at least " + minLength + " characters");
        }
        if (pattern != null && !pattern.matcher(value).matches()) {
            throw new InvalidValue("pattern_mismatch", "must match " + pattern.pattern());
        }
        return new ParameterValue.StringValue(value);
    }

    @Override
    protected String jsonSchemaType() {
        return "string";
    }

    @Override
    protected void describeConstraints(ObjectNode node) {
        if (pattern != null) {
            node.put("pattern", pattern.pattern());
        }
        if (minLength > 0) {
            node.put("minLength", minLength);
        }
        node.put("maxLength", maxLength);
    }
}
