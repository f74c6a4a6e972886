package com.warehouseexport.model.catalog;

import java.util.Locale;

/** Declared type of a dataset parameter, as written in the catalog ({@code "type": "string"} …). */
public enum ParameterType {
    STRING,
    INTEGER,
    DECIMAL,
    DATE,
    ENUM,
    BOOLEAN;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code null} when unknown. */
    public static ParameterType fromJsonName(String name) {
        for (ParameterType type : values()) {
            if (type.jsonName().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
