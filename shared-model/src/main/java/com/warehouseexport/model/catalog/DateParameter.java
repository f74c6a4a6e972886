package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** A calendar date written {@code yyyy-MM-dd} (ISO, strict: no 2024-02-30), between optional inclusive bounds. */
public final class DateParameter extends ParameterSpec {
    private final LocalDate min;
    private final LocalDate max;

    public DateParameter(String name, String description, boolean required, LocalDate min, LocalDate max) {
        super(name, description, required);
        if (min != null && max != null && min.isAfter(max)) {
            throw new IllegalArgumentException("parameter '" + name + "': min is after max");
        }
        this.min = min;
        this.max = max;
    }

    @Override
    public ParameterType type() {
        return ParameterType.DATE;
    }

    public LocalDate min() {
        return min;
    }

    public LocalDate max() {
        return max;
    }

    /** Strict {@code yyyy-MM-dd} (four-digit year); {@code null} if the text is not such a date. */
    public static LocalDate parseIsoDate(String text) {
        if (text == null || text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        for (int i = 0; i < 10; i++) {
            char c = text.charAt(i);
            if (i != 4 && i != 7 && (c < '0' || c > '9')) {
                return null;
            }
        }
        try {
            return LocalDate.parse(text); // ISO_LOCAL_DATE, resolver style STRICT
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    ParameterValue parse(JsonNode raw) throws InvalidValue {
        if (!raw.isTextual()) {
            throw wrongType("a date string (yyyy-MM-dd)");
        }
        LocalDate date = parseIsoDate(raw.textValue());
        if (date == null) {
            throw new InvalidValue("invalid_date", "must be a valid date written yyyy-MM-dd");
        }
        if ((min != null && date.isBefore(min)) || (max != null && date.isAfter(max))) {
            throw new InvalidValue("out_of_range", "must be a date" + Bounds.describe(min, max));
        }
        return new ParameterValue.DateValue(date);
    }

    @Override
    protected String jsonSchemaType() {
        return "string";
    }

    @Override
    protected void describeConstraints(ObjectNode node) {
        node.put("format", "date");
        // Not core JSON Schema, but the common extension for bounds on formatted strings.
        if (min != null) {
            node.put("formatMinimum", min.toString());
        }
        if (max != null) {
            node.put("formatMaximum", max.toString());
        }
    }
}
