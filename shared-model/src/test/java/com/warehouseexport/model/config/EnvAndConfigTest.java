package com.warehouseexport.model.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvAndConfigTest {

    @AfterEach
    void backToProcessEnvironment() {
        Env.useForThisClassLoader(null);
    }

    @Test
    void overrideReplacesTheProcessEnvironmentEntirely() {
        String path = System.getenv("PATH");
        Env.useForThisClassLoader(Map.of("ONLY_THIS", "x"));
        assertEquals("x", Env.get("ONLY_THIS"));
        assertNull(Env.get("PATH"), "the process environment is not visible through an override");
        Env.useForThisClassLoader(null);
        assertEquals(path == null || path.isBlank() ? null : path.trim(), Env.get("PATH"));
    }

    @Test
    void blankMeansUnsetAndValuesAreTrimmed() {
        Env.useForThisClassLoader(env("A", "  value ", "B", "", "C", "   "));
        assertEquals("value", Env.get("A"));
        assertNull(Env.get("B"));
        assertNull(Env.get("C"));
        assertEquals("d", Env.get("C", "d"));
        assertFalse(Env.isSet("B"));
        ConfigException e = assertThrows(ConfigException.class, () -> Env.require("B"));
        assertTrue(e.getMessage().contains("B"), e.getMessage());
    }

    @Test
    void typedGettersNameTheVariableOnBadInput() {
        Env.useForThisClassLoader(env("N", "42", "BAD", "4x", "T", "TRUE", "L", " a@x.com, ,b@y.com ,"));
        assertEquals(42, Env.getInt("N", 1));
        assertEquals(7, Env.getInt("MISSING", 7));
        assertEquals(42L, Env.getLong("N", 1));
        assertTrue(Env.getBoolean("T", false));
        assertEquals(List.of("a@x.com", "b@y.com"), Env.getList("L"));
        assertEquals(List.of(), Env.getList("MISSING"));
        assertTrue(assertThrows(ConfigException.class, () -> Env.getInt("BAD", 0)).getMessage().contains("BAD"));
        assertTrue(assertThrows(ConfigException.class, () -> Env.getBoolean("N", false)).getMessage().contains("N"));
    }

    @Test
    void receiverConfigNamesEveryMissingVariable() {
        Env.useForThisClassLoader(env("AWS_REGION", "us-east-1"));
        ConfigException e = assertThrows(ConfigException.class, AppConfig::forReceiver);
        assertTrue(e.getMessage().contains("CONTROL_TABLE"), e.getMessage());
        assertTrue(e.getMessage().contains("EXPORT_QUEUE_URL"), e.getMessage());
        assertFalse(e.getMessage().contains("AWS_REGION"), e.getMessage());
    }

    @Test
    void fullConfigurationIsRead() {
        Env.useForThisClassLoader(fullEnvironment());
        AppConfig config = AppConfig.forPoller();
        assertEquals("us-east-1", config.region());
        assertEquals("control", config.controlTable());
        assertEquals("http://q/1", config.exportQueueUrl());
        assertEquals("results", config.resultsBucket());
        assertEquals("archive", config.archiveBucket());
        assertEquals("cluster-1", config.redshiftClusterId());
        assertNull(config.redshiftWorkgroup());
        assertEquals("dev", config.redshiftDatabase());
        assertEquals("arn:secret", config.redshiftSecretArn());
        assertNull(config.redshiftDbUser());
        assertEquals("arn:aws:iam::123456789012:role/unload", config.unloadIamRoleArn());
        assertEquals("from@example.com", config.sourceEmail());
        assertEquals(List.of("a@example.com", "b@example.com"), config.targetEmails());
        assertEquals(900, config.linkExpirySeconds());
        assertEquals(14, config.requestTtlDays());
        assertEquals("/tmp/catalog.json", config.datasetCatalogFile());
        AppConfig.forReceiver();
        AppConfig.forProcessor();
        AppConfig.forStatus();
    }

    @Test
    void defaultsAndRanges() {
        Map<String, String> env = fullEnvironment();
        env.remove("LINK_EXPIRY_SECONDS");
        env.remove("REQUEST_TTL_DAYS");
        Env.useForThisClassLoader(env);
        assertEquals(3600, AppConfig.fromEnv().linkExpirySeconds());
        assertEquals(30, AppConfig.fromEnv().requestTtlDays());
        env.put("LINK_EXPIRY_SECONDS", "604801");
        Env.useForThisClassLoader(env);
        assertTrue(assertThrows(ConfigException.class, AppConfig::fromEnv).getMessage().contains("LINK_EXPIRY_SECONDS"));
    }

    @Test
    void processorNeedsExactlyOneWarehouseAndCredentialsForACluster() {
        Map<String, String> env = fullEnvironment();
        env.put("REDSHIFT_CLUSTER_ID", "");
        Env.useForThisClassLoader(env);
        assertTrue(assertThrows(ConfigException.class, AppConfig::forProcessor).getMessage()
                .contains("REDSHIFT_CLUSTER_ID or REDSHIFT_WORKGROUP"));

        env.put("REDSHIFT_WORKGROUP", "wg");
        env.put("REDSHIFT_SECRET_ARN", "");
        Env.useForThisClassLoader(env);
        assertTrue(AppConfig.forProcessor().usesRedshiftServerless(), "a workgroup needs no secret");

        env.put("REDSHIFT_CLUSTER_ID", "cluster-1");
        Env.useForThisClassLoader(env);
        assertThrows(ConfigException.class, AppConfig::forProcessor);

        env.put("REDSHIFT_WORKGROUP", "");
        Env.useForThisClassLoader(env);
        assertTrue(assertThrows(ConfigException.class, AppConfig::forProcessor).getMessage()
                .contains("REDSHIFT_SECRET_ARN or REDSHIFT_DB_USER"));
        env.put("REDSHIFT_DB_USER", "exporter");
        Env.useForThisClassLoader(env);
        assertEquals("exporter", AppConfig.forProcessor().redshiftDbUser());
    }

    @Test
    void pollerNeedsRecipients() {
        Map<String, String> env = fullEnvironment();
        env.put("TARGET_EMAILS", " , ");
        Env.useForThisClassLoader(env);
        assertTrue(assertThrows(ConfigException.class, AppConfig::forPoller).getMessage().contains("TARGET_EMAILS"));
    }

    static Map<String, String> fullEnvironment() {
        return env(
                "AWS_REGION", "us-east-1",
                "CONTROL_TABLE", "control",
                "EXPORT_QUEUE_URL", "http://q/1",
                "RESULTS_BUCKET", "results",
                "ARCHIVE_BUCKET", "archive",
                "REDSHIFT_CLUSTER_ID", "cluster-1",
                "REDSHIFT_WORKGROUP", "",
                "REDSHIFT_DATABASE", "dev",
                "REDSHIFT_SECRET_ARN", "arn:secret",
                "REDSHIFT_DB_USER", "",
                "UNLOAD_IAM_ROLE_ARN", "arn:aws:iam::123456789012:role/unload",
                "SOURCE_EMAIL", "from@example.com",
                "TARGET_EMAILS", "a@example.com,b@example.com",
                "LINK_EXPIRY_SECONDS", "900",
                "REQUEST_TTL_DAYS", "14",
                "DATASET_CATALOG_FILE", "/tmp/catalog.json");
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
