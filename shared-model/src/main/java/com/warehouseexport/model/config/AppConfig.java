package com.warehouseexport.model.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of the design page's configuration table, read through {@link Env}.
 *
 * <p>{@link #fromEnv()} reads everything and checks only formats; the {@code forXxx()} factories also
 * require what that function needs and fail at start-up naming every missing variable. Unset optional
 * values are {@code null} (lists are empty). Endpoint overrides are read by {@code AwsClients}.
 */
public record AppConfig(
        String region,
        String controlTable,
        String exportQueueUrl,
        String resultsBucket,
        String archiveBucket,
        String redshiftClusterId,
        String redshiftWorkgroup,
        String redshiftDatabase,
        String redshiftSecretArn,
        String redshiftDbUser,
        String unloadIamRoleArn,
        String sourceEmail,
        List<String> targetEmails,
        int linkExpirySeconds,
        int requestTtlDays,
        String datasetCatalogFile) {

    public static final String AWS_REGION = "AWS_REGION";
    public static final String CONTROL_TABLE = "CONTROL_TABLE";
    public static final String EXPORT_QUEUE_URL = "EXPORT_QUEUE_URL";
    public static final String RESULTS_BUCKET = "RESULTS_BUCKET";
    public static final String ARCHIVE_BUCKET = "ARCHIVE_BUCKET";
    public static final String REDSHIFT_CLUSTER_ID = "REDSHIFT_CLUSTER_ID";
    public static final String REDSHIFT_WORKGROUP = "REDSHIFT_WORKGROUP";
    public static final String REDSHIFT_DATABASE = "REDSHIFT_DATABASE";
    public static final String REDSHIFT_SECRET_ARN = "REDSHIFT_SECRET_ARN";
    public static final String REDSHIFT_DB_USER = "REDSHIFT_DB_USER";
    public static final String UNLOAD_IAM_ROLE_ARN = "UNLOAD_IAM_ROLE_ARN";
    public static final String SOURCE_EMAIL = "SOURCE_EMAIL";
    public static final String TARGET_EMAILS = "TARGET_EMAILS";
    public static final String LINK_EXPIRY_SECONDS = "LINK_EXPIRY_SECONDS";
    public static final String REQUEST_TTL_DAYS = "REQUEST_TTL_DAYS";
    public static final String DATASET_CATALOG_FILE = "DATASET_CATALOG_FILE";

    public static final int DEFAULT_LINK_EXPIRY_SECONDS = 3600;
    /** SigV4 presigned URLs cannot live longer than 7 days. */
    public static final int MAX_LINK_EXPIRY_SECONDS = 7 * 24 * 3600;
    public static final int DEFAULT_REQUEST_TTL_DAYS = 30;
    public static final int MAX_REQUEST_TTL_DAYS = 3650;

    public AppConfig {
        targetEmails = targetEmails == null ? List.of() : List.copyOf(targetEmails);
    }

    /** Reads every variable; checks formats and ranges but requires nothing. */
    public static AppConfig fromEnv() {
        return new AppConfig(
                Env.get(AWS_REGION),
                Env.get(CONTROL_TABLE),
                Env.get(EXPORT_QUEUE_URL),
                Env.get(RESULTS_BUCKET),
                Env.get(ARCHIVE_BUCKET),
                Env.get(REDSHIFT_CLUSTER_ID),
                Env.get(REDSHIFT_WORKGROUP),
                Env.get(REDSHIFT_DATABASE),
                Env.get(REDSHIFT_SECRET_ARN),
                Env.get(REDSHIFT_DB_USER),
                Env.get(UNLOAD_IAM_ROLE_ARN),
                Env.get(SOURCE_EMAIL),
                Env.getList(TARGET_EMAILS),
                intInRange(LINK_EXPIRY_SECONDS, DEFAULT_LINK_EXPIRY_SECONDS, 1, MAX_LINK_EXPIRY_SECONDS),
                intInRange(REQUEST_TTL_DAYS, DEFAULT_REQUEST_TTL_DAYS, 1, MAX_REQUEST_TTL_DAYS),
                Env.get(DATASET_CATALOG_FILE));
    }

    public static AppConfig forReceiver() {
        AppConfig config = fromEnv();
        Missing missing = new Missing("request-receiver");
        missing.check(AWS_REGION, config.region);
        missing.check(CONTROL_TABLE, config.controlTable);
        missing.check(EXPORT_QUEUE_URL, config.exportQueueUrl);
        missing.throwIfAny();
        return config;
    }

    public static AppConfig forProcessor() {
        AppConfig config = fromEnv();
        Missing missing = new Missing("request-processor");
        missing.check(AWS_REGION, config.region);
        missing.check(CONTROL_TABLE, config.controlTable);
        missing.check(RESULTS_BUCKET, config.resultsBucket);
        missing.check(REDSHIFT_DATABASE, config.redshiftDatabase);
        missing.check(UNLOAD_IAM_ROLE_ARN, config.unloadIamRoleArn);
        if (config.redshiftClusterId == null && config.redshiftWorkgroup == null) {
            missing.add(REDSHIFT_CLUSTER_ID + " or " + REDSHIFT_WORKGROUP);
        }
        // A provisioned cluster needs a secret or a database user for temporary credentials;
        // a serverless workgroup can use the function's IAM identity alone.
        if (config.redshiftClusterId != null && config.redshiftSecretArn == null && config.redshiftDbUser == null) {
            missing.add(REDSHIFT_SECRET_ARN + " or " + REDSHIFT_DB_USER);
        }
        missing.throwIfAny();
        if (config.redshiftClusterId != null && config.redshiftWorkgroup != null) {
            throw new ConfigException("Set only one of " + REDSHIFT_CLUSTER_ID + " and " + REDSHIFT_WORKGROUP
                    + " (both are set)");
        }
        return config;
    }

    public static AppConfig forPoller() {
        AppConfig config = fromEnv();
        Missing missing = new Missing("result-poller");
        missing.check(AWS_REGION, config.region);
        missing.check(CONTROL_TABLE, config.controlTable);
        missing.check(RESULTS_BUCKET, config.resultsBucket);
        missing.check(ARCHIVE_BUCKET, config.archiveBucket);
        missing.check(SOURCE_EMAIL, config.sourceEmail);
        if (config.targetEmails.isEmpty()) {
            missing.add(TARGET_EMAILS);
        }
        missing.throwIfAny();
        return config;
    }

    public static AppConfig forStatus() {
        AppConfig config = fromEnv();
        Missing missing = new Missing("status-check");
        missing.check(AWS_REGION, config.region);
        missing.check(CONTROL_TABLE, config.controlTable);
        missing.throwIfAny();
        return config;
    }

    /** True when the processor talks to a serverless workgroup rather than a provisioned cluster. */
    public boolean usesRedshiftServerless() {
        return redshiftWorkgroup != null;
    }

    private static int intInRange(String name, int defaultValue, int min, int max) {
        int value = Env.getInt(name, defaultValue);
        if (value < min || value > max) {
            throw new ConfigException("Environment variable " + name + " must be between " + min + " and " + max
                    + ", got " + value);
        }
        return value;
    }

    private static final class Missing {
        private final String function;
        private final List<String> names = new ArrayList<>();

        Missing(String function) {
            this.function = function;
        }

        void check(String name, String value) {
            if (value == null) {
                names.add(name);
            }
        }

        void add(String description) {
            names.add(description);
        }

        void throwIfAny() {
            if (!names.isEmpty()) {
                throw new ConfigException("Missing required environment variable(s) for " + function + ": "
                        + String.join(", ", names));
            }
        }
    }
}
