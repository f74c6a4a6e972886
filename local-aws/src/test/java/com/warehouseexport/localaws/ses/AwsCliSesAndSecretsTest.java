package com.warehouseexport.localaws.ses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.http.LocalEndpointServer;
import com.warehouseexport.localaws.secrets.SecretsManagerService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives both emulators with the AWS CLI v1 ({@code aws}, preinstalled here and in CI), so that a second,
 * independent client (botocore) agrees with the wire format. Non-ASCII input goes through {@code file://}
 * JSON with \\u escapes, so the test does not depend on the locale's argument encoding.
 */
class AwsCliSesAndSecretsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper ASCII_JSON = JsonMapper.builder()
        .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    @TempDir
    Path dir;

    private Outbox outbox;
    private LocalEndpointServer server;

    @BeforeEach
    void start() throws IOException {
        outbox = new Outbox(dir.resolve("outbox"));
        server = LocalEndpointServer.start(0,
            List.of(new SecretsManagerService(dir.resolve("state"), "us-east-1", "123456789012")),
            List.of(new SesService(outbox, dir.resolve("state"))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record CliResult(int exitCode, String stdout, String stderr) {
        JsonNode json() throws IOException {
            return JSON.readTree(stdout);
        }
    }

    private CliResult aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", server.endpoint().toString(), "--region", "us-east-1",
            "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        // Only these credentials and no profile, config file or endpoint of the developer's own may apply.
        List.of("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CA_BUNDLE",
            "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SES", "AWS_ENDPOINT_URL_SECRETS_MANAGER").forEach(env::remove);
        env.put("AWS_ACCESS_KEY_ID", "AKIDLOCALTEST");
        env.put("AWS_SECRET_ACCESS_KEY", "local-test-secret");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("PYTHONUTF8", "1");
        env.put("PYTHONIOENCODING", "utf-8");
        Path out = Files.createTempFile(dir, "aws-", ".out");
        Path err = Files.createTempFile(dir, "aws-", ".err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("aws " + String.join(" ", args) + " did not finish within 120 s");
        }
        CliResult result = new CliResult(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
        System.out.printf("aws %s -> exit %d in %d ms%n%s%s%n", String.join(" ", args), result.exitCode(),
            (System.nanoTime() - started) / 1_000_000, result.stdout(), result.stderr());
        return result;
    }

    private CliResult ok(String... args) throws Exception {
        CliResult result = aws(args);
        assertEquals(0, result.exitCode(), () -> "aws " + String.join(" ", args) + " failed: " + result.stderr());
        return result;
    }

    private String fileArg(String name, Object value) throws IOException {
        Path file = dir.resolve(name);
        String content = value instanceof String s ? s : ASCII_JSON.writeValueAsString(value);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return "file://" + file;
    }

    /** CLI v1 prints AWS JSON timestamps as they came on the wire (cli_timestamp_format "none"). */
    private static void assertRecentEpochSeconds(JsonNode timestamp) {
        assertTrue(timestamp.isNumber(), "not epoch seconds: " + timestamp);
        Instant instant = Instant.ofEpochMilli(Math.round(timestamp.asDouble() * 1000));
        assertTrue(Duration.between(instant, Instant.now()).abs().compareTo(Duration.ofHours(1)) < 0,
            "not a date of this test run: " + instant);
    }

    @Test
    void sesThroughTheCli() throws Exception {
        ok("ses", "verify-email-identity", "--email-address", "exports@warehouse.example.com");
        ok("ses", "verify-domain-identity", "--domain", "partner.example.org");
        JsonNode identities = ok("ses", "list-identities").json().get("Identities");
        assertEquals("[\"exports@warehouse.example.com\",\"partner.example.org\"]", identities.toString());
        assertEquals("[\"partner.example.org\"]",
            ok("ses", "list-identities", "--identity-type", "Domain").json().get("Identities").toString());

        ObjectNode message = JSON.createObjectNode();
        message.putObject("Subject").put("Data", "Export fertig – Größe ✓").put("Charset", "UTF-8");
        ObjectNode body = message.putObject("Body");
        body.putObject("Text").put("Data", "Grüße\nLink: https://example.com/a?b=1").put("Charset", "UTF-8");
        body.putObject("Html").put("Data", "<p>Grüße</p>").put("Charset", "UTF-8");
        ObjectNode destination = JSON.createObjectNode();
        destination.putArray("ToAddresses").add("partner@partner.example.org").add("ops@example.net");
        destination.putArray("BccAddresses").add("audit@example.net");

        String id = ok("ses", "send-email", "--from", "exports@warehouse.example.com",
            "--destination", fileArg("destination.json", destination),
            "--message", fileArg("message.json", message)).json().get("MessageId").asText();

        OutboxMessage sent = outbox.find(id).orElseThrow(() -> new AssertionError("not in the outbox: " + id));
        assertEquals("exports@warehouse.example.com", sent.source());
        assertEquals(List.of("partner@partner.example.org", "ops@example.net"), sent.to());
        assertEquals(List.of("audit@example.net"), sent.bcc());
        assertEquals("Export fertig – Größe ✓", sent.subject());
        assertEquals("Grüße\nLink: https://example.com/a?b=1", sent.text());
        assertEquals("<p>Grüße</p>", sent.html());

        // The CLI's own shorthand for send-email, from an address of the verified domain.
        String second = ok("ses", "send-email", "--from", "billing@partner.example.org",
            "--to", "a@example.net", "--subject", "Plain subject", "--text", "plain body")
            .json().get("MessageId").asText();
        assertEquals("plain body", outbox.find(second).orElseThrow().text());

        CliResult rejected = aws("ses", "send-email", "--from", "stranger@elsewhere.example",
            "--to", "a@example.net", "--subject", "s", "--text", "t");
        assertNotEquals(0, rejected.exitCode());
        assertTrue(rejected.stderr().contains("(MessageRejected)"), rejected.stderr());
        assertTrue(rejected.stderr().contains("Email address is not verified. The following identities failed the "
            + "check in region US-EAST-1: stranger@elsewhere.example"), rejected.stderr());
        assertEquals(2, outbox.size());

        JsonNode quota = ok("ses", "get-send-quota").json();
        assertEquals(4.0, quota.get("SentLast24Hours").asDouble());
    }

    @Test
    void secretsManagerThroughTheCli() throws Exception {
        String credentials = "{\"username\":\"export_reader\",\"password\":\"pä$$wörd\"}";
        JsonNode created = ok("secretsmanager", "create-secret", "--name", "warehouse/redshift",
            "--description", "Data API credentials", "--secret-string", fileArg("secret.txt", credentials),
            "--tags", "Key=app,Value=warehouse-export").json();
        String arn = created.get("ARN").asText();
        assertTrue(arn.matches("arn:aws:secretsmanager:us-east-1:123456789012:secret:warehouse/redshift-"
            + "[A-Za-z0-9]{6}"), arn);
        String firstVersion = created.get("VersionId").asText();

        JsonNode value = ok("secretsmanager", "get-secret-value", "--secret-id", "warehouse/redshift").json();
        assertEquals(credentials, value.get("SecretString").asText());
        assertEquals(firstVersion, value.get("VersionId").asText());
        assertEquals("[\"AWSCURRENT\"]", value.get("VersionStages").toString());
        assertRecentEpochSeconds(value.get("CreatedDate"));

        JsonNode put = ok("secretsmanager", "put-secret-value", "--secret-id", arn,
            "--secret-string", "rotated").json();
        String secondVersion = put.get("VersionId").asText();
        assertEquals("[\"AWSCURRENT\"]", put.get("VersionStages").toString());

        String partialArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:warehouse/redshift";
        JsonNode described = ok("secretsmanager", "describe-secret", "--secret-id", partialArn).json();
        assertEquals(arn, described.get("ARN").asText());
        assertEquals("Data API credentials", described.get("Description").asText());
        assertEquals("[\"AWSPREVIOUS\"]", described.get("VersionIdsToStages").get(firstVersion).toString());
        assertEquals("[\"AWSCURRENT\"]", described.get("VersionIdsToStages").get(secondVersion).toString());
        assertEquals("warehouse-export", described.get("Tags").get(0).get("Value").asText());
        assertRecentEpochSeconds(described.get("CreatedDate"));
        assertTrue(described.get("LastChangedDate").asDouble() >= described.get("CreatedDate").asDouble(),
            described.toString());

        assertEquals("rotated", ok("secretsmanager", "get-secret-value", "--secret-id", arn)
            .json().get("SecretString").asText());
        assertEquals(credentials, ok("secretsmanager", "get-secret-value", "--secret-id", arn,
            "--version-stage", "AWSPREVIOUS").json().get("SecretString").asText());

        CliResult missing = aws("secretsmanager", "get-secret-value", "--secret-id", "no/such/secret");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("(ResourceNotFoundException)"), missing.stderr());
        assertTrue(missing.stderr().contains("Secrets Manager can't find the specified secret."), missing.stderr());

        CliResult exists = aws("secretsmanager", "create-secret", "--name", "warehouse/redshift",
            "--secret-string", "x");
        assertNotEquals(0, exists.exitCode());
        assertTrue(exists.stderr().contains("(ResourceExistsException)"), exists.stderr());
    }
}
