package com.warehouseexport.model.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The only reader of environment variables in the application.
 *
 * <p>On Lambda it reads {@link System#getenv}. The local runtime runs every function in its own class loader
 * and, before creating the handler, calls {@link #useForThisClassLoader(Map)} on that loader's copy of this
 * class, so each function sees only its own environment.
 *
 * <p>A blank value counts as unset: CloudFormation cannot leave a variable out conditionally, so templates
 * set optional ones to "".
 */
public final class Env {
    private static volatile Map<String, String> override;

    private Env() {
    }

    /**
     * Replaces the environment seen through this class (in this class loader) by {@code env};
     * {@code null} goes back to the process environment. Called reflectively by the local runtime:
     * keep the name and signature.
     */
    public static void useForThisClassLoader(Map<String, String> env) {
        if (env == null) {
            override = null;
            return;
        }
        Map<String, String> copy = new HashMap<>();
        env.forEach((name, value) -> {
            if (name != null && value != null) {
                copy.put(name, value);
            }
        });
        override = Collections.unmodifiableMap(copy);
    }

    /** The trimmed value, or {@code null} when unset or blank. */
    public static String get(String name) {
        Map<String, String> env = override;
        String value = env != null ? env.get(name) : System.getenv(name);
        if (value == null) {
            return null;
        }
        value = value.trim();
        return value.isEmpty() ? null : value;
    }

    public static String get(String name, String defaultValue) {
        String value = get(name);
        return value != null ? value : defaultValue;
    }

    public static boolean isSet(String name) {
        return get(name) != null;
    }

    public static String require(String name) {
        String value = get(name);
        if (value == null) {
            throw new ConfigException("Missing required environment variable " + name);
        }
        return value;
    }

    public static int getInt(String name, int defaultValue) {
        String value = get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("Environment variable " + name + " must be an integer, got '" + value + "'");
        }
    }

    public static long getLong(String name, long defaultValue) {
        String value = get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("Environment variable " + name + " must be an integer, got '" + value + "'");
        }
    }

    /** {@code true}/{@code false} (any case); anything else is a configuration error. */
    public static boolean getBoolean(String name, boolean defaultValue) {
        String value = get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException("Environment variable " + name + " must be true or false, got '" + value + "'");
    }

    /** A comma-separated list, items trimmed, empty items dropped; empty list when unset. */
    public static List<String> getList(String name) {
        String value = get(name);
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split(",")) {
                String trimmed = item.trim();
                if (!trimmed.isEmpty()) {
                    items.add(trimmed);
                }
            }
        }
        return List.copyOf(items);
    }
}
