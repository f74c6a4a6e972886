package com.warehouseexport.model.sql;

/**
 * Whose string-literal rules a rendered query follows. Redshift (PostgreSQL 8.0): a backslash escapes, so it is
 * doubled, and {@code '} is {@code ''}; Athena (Trino): only {@code '} → {@code ''}, a backslash is itself.
 */
public enum SqlDialect {
    REDSHIFT,
    ATHENA
}
