package com.warehouseexport.model.config;

import java.util.Map;

/**
 * Test stand-in for the project's Env (module shared-model) with the contract the local runtime relies on: each
 * class loader's copy holds the environment given to {@link #useForThisClassLoader(Map)}.
 */
public final class Env {
    private static volatile Map<String, String> values;

    private Env() {
    }

    public static void useForThisClassLoader(Map<String, String> environment) {
        values = Map.copyOf(environment);
    }

    public static String get(String name) {
        Map<String, String> current = values;
        return current == null ? System.getenv(name) : current.get(name);
    }
}
