package com.warehouseexport.localaws.redshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localaws.LocalAws;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AWS CLI (v1, botocore's own model and serializer) drives the endpoint unchanged. */
class AwsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedshiftFixture fx;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        fx = RedshiftFixture.start(100, null);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "redshift-data"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", fx.server.endpoint().toString(), "--region", "us-east-1",
            "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_KEY);
        // keep any developer's own AWS configuration out of the test
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "aws did not finish");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void executeDescribeAndFetchWithTheCli() throws Exception {
        Result executed = aws("execute-statement", "--cluster-identifier", RedshiftFixture.CLUSTER,
            "--database", RedshiftFixture.DATABASE, "--db-user", RedshiftFixture.DB_USER,
            "--sql", "select sku, product_id from rsdataapi.product_detail where product_id >= :min order by sku",
            "--parameters", "[{\"name\": \"min\", \"value\": \"12346\"}]",
            "--statement-name", "cli-test");
        assertEquals(0, executed.exitCode(), executed.stderr());
        JsonNode execute = JSON.readTree(executed.stdout());
        String id = execute.get("Id").asText();
        assertEquals(RedshiftFixture.CLUSTER, execute.get("ClusterIdentifier").asText());
        // CLI v1 prints timestamps as the epoch seconds it received
        double createdAt = execute.get("CreatedAt").asDouble();
        assertTrue(Math.abs(createdAt - System.currentTimeMillis() / 1000.0) < 120, execute.toString());

        JsonNode describe = null;
        for (int i = 0; i < 50; i++) {
            Result described = aws("describe-statement", "--id", id);
            assertEquals(0, described.exitCode(), described.stderr());
            describe = JSON.readTree(described.stdout());
            if (describe.get("Status").asText().equals("FINISHED")) {
                break;
            }
        }
        assertEquals("FINISHED", describe.get("Status").asText());
        assertEquals(2, describe.get("ResultRows").asLong());
        assertTrue(describe.get("HasResultSet").asBoolean());

        Result fetched = aws("get-statement-result", "--id", id);
        assertEquals(0, fetched.exitCode(), fetched.stderr());
        JsonNode result = JSON.readTree(fetched.stdout());
        assertEquals("FLOWER13", result.get("Records").get(0).get(0).get("stringValue").asText());
        assertEquals(12347, result.get("Records").get(1).get(1).get("longValue").asLong());
        assertEquals("int4", result.get("ColumnMetadata").get(1).get("typeName").asText());
        assertEquals(2, result.get("TotalNumRows").asLong());
    }

    @Test
    void errorsReachTheCliAsTheirAwsErrorCodes() throws Exception {
        Result missing = aws("describe-statement", "--id", "00000000-0000-0000-0000-000000000000");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("(ResourceNotFoundException)"), missing.stderr());

        Result twoStatements = aws("execute-statement", "--cluster-identifier", RedshiftFixture.CLUSTER,
            "--database", RedshiftFixture.DATABASE, "--sql", "select 1; select 2");
        assertNotEquals(0, twoStatements.exitCode());
        assertTrue(twoStatements.stderr().contains("(ValidationException)"), twoStatements.stderr());
    }
}
