package com.warehouseexport.model.config;

/** Configuration is missing or invalid; the message names the variable(s). Thrown at start-up. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
