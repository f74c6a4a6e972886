package com.warehouseexport.localaws.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localaws.http.LocalEndpointServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

class SecretsManagerServiceTest {
    private static final String ACCOUNT = "123456789012";
    private static final String CREDENTIALS = "{\"username\":\"export_reader\",\"password\":\"pä$$wörd\"}";

    @TempDir
    Path dir;

    private LocalEndpointServer server;
    private SecretsManagerClient secrets;

    @BeforeEach
    void start() throws Exception {
        server = LocalEndpointServer.start(0,
            List.of(new SecretsManagerService(dir.resolve("state"), "us-east-1", ACCOUNT)), List.of());
        secrets = SecretsManagerClient.builder()
            .endpointOverride(server.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    }

    @AfterEach
    void stop() {
        secrets.close();
        server.close();
    }

    private void restart() throws Exception {
        stop();
        start();
    }

    private CreateSecretResponse createRedshiftSecret() {
        return secrets.createSecret(b -> b.name("warehouse/redshift")
            .description("Data API credentials")
            .secretString(CREDENTIALS)
            .tags(Tag.builder().key("app").value("warehouse-export").build()));
    }

    @Test
    void createAndGetByNameFullArnAndPartialArn() {
        Instant before = Instant.now().minusSeconds(1);
        CreateSecretResponse created = createRedshiftSecret();

        String partialArn = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:warehouse/redshift";
        assertTrue(created.arn().matches(partialArn.replace("/", "\\/") + "-[A-Za-z0-9]{6}"), created.arn());
        assertEquals("warehouse/redshift", created.name());
        assertNotNull(created.versionId());

        for (String id : List.of("warehouse/redshift", created.arn(), partialArn)) {
            GetSecretValueResponse value = secrets.getSecretValue(b -> b.secretId(id));
            assertEquals(CREDENTIALS, value.secretString(), id);
            assertEquals(created.arn(), value.arn());
            assertEquals(created.name(), value.name());
            assertEquals(created.versionId(), value.versionId());
            assertEquals(List.of("AWSCURRENT"), value.versionStages());
            assertTrue(value.createdDate().isAfter(before), value.createdDate().toString());
            assertNull(value.secretBinary());
        }

        // Another account's or region's ARN is a different secret.
        assertThrows(ResourceNotFoundException.class, () -> secrets.getSecretValue(
            b -> b.secretId(partialArn.replace(ACCOUNT, "999999999999"))));
        assertThrows(ResourceNotFoundException.class, () -> secrets.getSecretValue(
            b -> b.secretId(created.arn().replace("us-east-1", "eu-west-1"))));
    }

    @Test
    void putMovesTheStagingLabels() {
        CreateSecretResponse created = createRedshiftSecret();
        PutSecretValueResponse second = secrets.putSecretValue(b -> b.secretId(created.arn()).secretString("v2"));
        assertEquals(List.of("AWSCURRENT"), second.versionStages());
        assertNotEquals(created.versionId(), second.versionId());

        assertEquals("v2", secrets.getSecretValue(b -> b.secretId("warehouse/redshift")).secretString());
        GetSecretValueResponse previous = secrets.getSecretValue(
            b -> b.secretId("warehouse/redshift").versionStage("AWSPREVIOUS"));
        assertEquals(CREDENTIALS, previous.secretString());
        assertEquals(created.versionId(), previous.versionId());
        assertEquals(Map.of(created.versionId(), List.of("AWSPREVIOUS"), second.versionId(), List.of("AWSCURRENT")),
            secrets.describeSecret(b -> b.secretId("warehouse/redshift")).versionIdsToStages());

        PutSecretValueResponse third = secrets.putSecretValue(b -> b.secretId("warehouse/redshift")
            .secretString("v3"));
        assertEquals(Map.of(second.versionId(), List.of("AWSPREVIOUS"), third.versionId(), List.of("AWSCURRENT")),
            secrets.describeSecret(b -> b.secretId("warehouse/redshift")).versionIdsToStages(),
            "the first version loses its last label");
        // A version without labels can still be read by its id.
        assertEquals(CREDENTIALS, secrets.getSecretValue(
            b -> b.secretId("warehouse/redshift").versionId(created.versionId())).secretString());

        // A custom label moves without touching AWSCURRENT.
        PutSecretValueResponse pending = secrets.putSecretValue(b -> b.secretId("warehouse/redshift")
            .secretString("v4").versionStages("AWSPENDING"));
        assertEquals(List.of("AWSPENDING"), pending.versionStages());
        assertEquals("v3", secrets.getSecretValue(b -> b.secretId("warehouse/redshift")).secretString());
        assertEquals("v4", secrets.getSecretValue(
            b -> b.secretId("warehouse/redshift").versionStage("AWSPENDING")).secretString());

        ResourceNotFoundException noSuchVersion = assertThrows(ResourceNotFoundException.class, () ->
            secrets.getSecretValue(b -> b.secretId("warehouse/redshift")
                .versionId("00000000-0000-0000-0000-000000000000")));
        assertEquals("Secrets Manager can't find the specified secret value for VersionId: "
            + "00000000-0000-0000-0000-000000000000", noSuchVersion.awsErrorDetails().errorMessage());
        InvalidRequestException mismatch = assertThrows(InvalidRequestException.class, () ->
            secrets.getSecretValue(b -> b.secretId("warehouse/redshift").versionId(third.versionId())
                .versionStage("AWSPREVIOUS")));
        assertTrue(mismatch.getMessage().contains("not associated"), mismatch.getMessage());
    }

    @Test
    void clientRequestTokenMakesCreateAndPutIdempotent() {
        String token = "11111111-2222-3333-4444-555555555555";
        CreateSecretResponse first = secrets.createSecret(b -> b.name("idem").secretString("a")
            .clientRequestToken(token));
        CreateSecretResponse retried = secrets.createSecret(b -> b.name("idem").secretString("a")
            .clientRequestToken(token));
        assertEquals(first.arn(), retried.arn());
        assertEquals(token, retried.versionId());

        String putToken = "66666666-7777-8888-9999-000000000000";
        secrets.putSecretValue(b -> b.secretId("idem").secretString("b").clientRequestToken(putToken));
        PutSecretValueResponse retriedPut = secrets.putSecretValue(
            b -> b.secretId("idem").secretString("b").clientRequestToken(putToken));
        assertEquals(putToken, retriedPut.versionId());
        assertEquals(Map.of(token, List.of("AWSPREVIOUS"), putToken, List.of("AWSCURRENT")),
            secrets.describeSecret(b -> b.secretId("idem")).versionIdsToStages(), "a retry adds no version");

        assertThrows(ResourceExistsException.class, () -> secrets.putSecretValue(
            b -> b.secretId("idem").secretString("other").clientRequestToken(putToken)));
        ResourceExistsException exists = assertThrows(ResourceExistsException.class,
            () -> secrets.createSecret(b -> b.name("idem").secretString("a")));
        assertEquals("The operation failed because the secret idem already exists.",
            exists.awsErrorDetails().errorMessage());
        assertEquals(400, exists.statusCode());
    }

    @Test
    void describeAndListShowMetadata() {
        Instant before = Instant.now().minusSeconds(1);
        CreateSecretResponse created = createRedshiftSecret();
        secrets.createSecret(b -> b.name("other/api-key").secretBinary(SdkBytes.fromByteArray(new byte[] {0, 1, 2})));

        DescribeSecretResponse described = secrets.describeSecret(b -> b.secretId(created.arn()));
        assertEquals(created.arn(), described.arn());
        assertEquals("Data API credentials", described.description());
        assertEquals(List.of(Tag.builder().key("app").value("warehouse-export").build()), described.tags());
        assertTrue(described.createdDate().isAfter(before));
        assertFalse(described.lastChangedDate().isBefore(described.createdDate()));
        assertNull(described.lastAccessedDate(), "never read yet");
        assertNull(described.deletedDate());
        assertEquals(Map.of(created.versionId(), List.of("AWSCURRENT")), described.versionIdsToStages());

        secrets.getSecretValue(b -> b.secretId(created.arn()));
        assertNotNull(secrets.describeSecret(b -> b.secretId(created.arn())).lastAccessedDate());

        assertArrayEquals(new byte[] {0, 1, 2},
            secrets.getSecretValue(b -> b.secretId("other/api-key")).secretBinary().asByteArray());

        List<String> all = secrets.listSecretsPaginator(b -> b.maxResults(1)).stream()
            .peek(page -> assertEquals(1, page.secretList().size()))
            .flatMap(page -> page.secretList().stream())
            .map(SecretListEntry::name).toList();
        assertEquals(List.of("warehouse/redshift", "other/api-key"), all, "paged, oldest first");
        List<SecretListEntry> byName = secrets.listSecrets(b -> b.filters(
            f -> f.key(FilterNameStringType.NAME).values("warehouse/"))).secretList();
        assertEquals(1, byName.size());
        assertEquals(Map.of(created.versionId(), List.of("AWSCURRENT")), byName.get(0).secretVersionsToStages());
        assertEquals(List.of("other/api-key"), secrets.listSecrets(b -> b.filters(
            f -> f.key(FilterNameStringType.TAG_KEY).values("!app"))).secretList().stream()
            .map(SecretListEntry::name).toList());
        assertEquals(List.of("warehouse/redshift"), secrets.listSecrets(b -> b.filters(
            f -> f.key(FilterNameStringType.DESCRIPTION).values("data api"))).secretList().stream()
            .map(SecretListEntry::name).toList());
    }

    @Test
    void missingSecretsAndBadParametersGetTheRealErrors() {
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
            () -> secrets.getSecretValue(b -> b.secretId("no/such/secret")));
        assertEquals("Secrets Manager can't find the specified secret.", missing.awsErrorDetails().errorMessage());
        assertEquals("ResourceNotFoundException", missing.awsErrorDetails().errorCode());
        assertThrows(ResourceNotFoundException.class, () -> secrets.describeSecret(b -> b.secretId("nope")));
        assertThrows(ResourceNotFoundException.class,
            () -> secrets.putSecretValue(b -> b.secretId("nope").secretString("x")));

        secrets.createSecret(b -> b.name("empty"));
        ResourceNotFoundException noValue = assertThrows(ResourceNotFoundException.class,
            () -> secrets.getSecretValue(b -> b.secretId("empty")));
        assertEquals("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
            noValue.awsErrorDetails().errorMessage());

        assertThrows(InvalidParameterException.class, () -> secrets.createSecret(b -> b.name("both")
            .secretString("s").secretBinary(SdkBytes.fromUtf8String("b"))));
        assertThrows(InvalidParameterException.class, () -> secrets.createSecret(b -> b.name("bad name!")));
        assertThrows(InvalidParameterException.class,
            () -> secrets.deleteSecret(b -> b.secretId("empty").recoveryWindowInDays(3L)));
        assertThrows(InvalidParameterException.class, () -> secrets.deleteSecret(
            b -> b.secretId("empty").recoveryWindowInDays(7L).forceDeleteWithoutRecovery(true)));
    }

    @Test
    void deletionWithARecoveryWindowBlocksReadsUntilRestored() {
        CreateSecretResponse created = createRedshiftSecret();
        Instant now = Instant.now();
        DeleteSecretResponse deleted = secrets.deleteSecret(b -> b.secretId(created.arn()).recoveryWindowInDays(7L));
        assertEquals(created.arn(), deleted.arn());
        Duration window = Duration.between(now, deleted.deletionDate());
        assertTrue(window.compareTo(Duration.ofDays(7).minusMinutes(1)) > 0
            && window.compareTo(Duration.ofDays(7).plusMinutes(1)) < 0, window.toString());

        InvalidRequestException blocked = assertThrows(InvalidRequestException.class,
            () -> secrets.getSecretValue(b -> b.secretId("warehouse/redshift")));
        assertEquals("You can't perform this operation on the secret because it was marked for deletion.",
            blocked.awsErrorDetails().errorMessage());
        assertThrows(InvalidRequestException.class,
            () -> secrets.putSecretValue(b -> b.secretId("warehouse/redshift").secretString("x")));
        assertThrows(InvalidRequestException.class,
            () -> secrets.createSecret(b -> b.name("warehouse/redshift").secretString("x")));
        assertEquals(deleted.deletionDate(), secrets.describeSecret(b -> b.secretId("warehouse/redshift"))
            .deletedDate());
        assertTrue(secrets.listSecrets().secretList().isEmpty());
        assertEquals(1, secrets.listSecrets(b -> b.includePlannedDeletion(true)).secretList().size());

        secrets.restoreSecret(b -> b.secretId("warehouse/redshift"));
        assertEquals(CREDENTIALS, secrets.getSecretValue(b -> b.secretId("warehouse/redshift")).secretString());

        secrets.deleteSecret(b -> b.secretId("warehouse/redshift").forceDeleteWithoutRecovery(true));
        assertThrows(ResourceNotFoundException.class,
            () -> secrets.getSecretValue(b -> b.secretId("warehouse/redshift")));
        // Forced deletion of a secret that is gone is not an error, as on AWS.
        secrets.deleteSecret(b -> b.secretId("warehouse/redshift").forceDeleteWithoutRecovery(true));
        CreateSecretResponse again = secrets.createSecret(b -> b.name("warehouse/redshift").secretString("new"));
        assertNotEquals(created.arn(), again.arn(), "a new secret gets a new ARN suffix");
    }

    @Test
    void secretsSurviveARestart() throws Exception {
        CreateSecretResponse created = createRedshiftSecret();
        PutSecretValueResponse second = secrets.putSecretValue(b -> b.secretId(created.arn()).secretString("v2"));
        secrets.createSecret(b -> b.name("bin").secretBinary(SdkBytes.fromUtf8String("bytes")));
        secrets.createSecret(b -> b.name("doomed").secretString("x"));
        secrets.deleteSecret(b -> b.secretId("doomed"));
        DescribeSecretResponse before = secrets.describeSecret(b -> b.secretId(created.arn()));

        restart();

        DescribeSecretResponse after = secrets.describeSecret(b -> b.secretId(created.arn()));
        assertTrue(before.equalsBySdkFields(after), before + " vs " + after);
        GetSecretValueResponse current = secrets.getSecretValue(b -> b.secretId(created.arn()));
        assertEquals("v2", current.secretString());
        assertEquals(second.versionId(), current.versionId());
        assertEquals(CREDENTIALS, secrets.getSecretValue(
            b -> b.secretId("warehouse/redshift").versionStage("AWSPREVIOUS")).secretString());
        assertEquals("bytes", secrets.getSecretValue(b -> b.secretId("bin")).secretBinary().asUtf8String());
        assertThrows(InvalidRequestException.class, () -> secrets.getSecretValue(b -> b.secretId("doomed")));

        // One JSON file, no temp file left behind.
        Path state = dir.resolve("state");
        try (Stream<Path> files = Files.list(state)) {
            assertEquals(List.of(state.resolve("secretsmanager.json")), files.toList());
        }
        new ObjectMapper().readTree(Files.readString(state.resolve("secretsmanager.json"), StandardCharsets.UTF_8));
    }

    @Test
    void inMemoryServiceNeedsNoDirectory() throws Exception {
        try (LocalEndpointServer memory = LocalEndpointServer.start(0,
                List.of(new SecretsManagerService(null, "eu-central-1", ACCOUNT)), List.of());
             SecretsManagerClient client = SecretsManagerClient.builder()
                 .endpointOverride(memory.endpoint())
                 .region(Region.EU_CENTRAL_1)
                 .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                 .httpClient(UrlConnectionHttpClient.create())
                 .build()) {
            String arn = client.createSecret(b -> b.name("x").secretString("y")).arn();
            assertTrue(arn.startsWith("arn:aws:secretsmanager:eu-central-1:" + ACCOUNT + ":secret:x-"), arn);
            assertEquals("y", client.getSecretValue(b -> b.secretId(arn)).secretString());
        }
    }
}
