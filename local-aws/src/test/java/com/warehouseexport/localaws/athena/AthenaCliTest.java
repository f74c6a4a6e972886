package com.warehouseexport.localaws.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.LocalAwsEndpoints;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The AWS CLI (v1, botocore's own athena model and serializer) drives the local Athena endpoint unchanged. */
@LocalAwsTest
class AthenaCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result aws(LocalAwsEndpoints endpoints, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "athena"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", endpoints.athena().toString(), "--region", "us-east-1",
            "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_KEY);
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
    void startGetAndFetchWithTheCli(LocalAwsEndpoints endpoints, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("athena-cli-results"));
        Result started = aws(endpoints, "start-query-execution",
            "--query-string", "select sku, product_id from product_detail where product_id >= ? order by sku",
            "--query-execution-context", "Database=rsdataapi,Catalog=AwsDataCatalog",
            "--execution-parameters", "12346",
            "--result-configuration", "OutputLocation=s3://athena-cli-results/cli/");
        assertEquals(0, started.exitCode(), started.stderr());
        String id = JSON.readTree(started.stdout()).get("QueryExecutionId").asText();

        JsonNode execution = null;
        for (int i = 0; i < 50; i++) {
            Result got = aws(endpoints, "get-query-execution", "--query-execution-id", id);
            assertEquals(0, got.exitCode(), got.stderr());
            execution = JSON.readTree(got.stdout()).get("QueryExecution");
            if (execution.at("/Status/State").asText().equals("SUCCEEDED")) {
                break;
            }
        }
        assertEquals("SUCCEEDED", execution.at("/Status/State").asText(), execution.toString());
        assertEquals("s3://athena-cli-results/cli/" + id + ".csv",
            execution.at("/ResultConfiguration/OutputLocation").asText());

        Result fetched = aws(endpoints, "get-query-results", "--query-execution-id", id);
        assertEquals(0, fetched.exitCode(), fetched.stderr());
        JsonNode rows = JSON.readTree(fetched.stdout()).at("/ResultSet/Rows");
        assertEquals("sku", rows.get(0).at("/Data/0/VarCharValue").asText());
        assertEquals("FLOWER13", rows.get(1).at("/Data/0/VarCharValue").asText());
        assertEquals("12347", rows.get(2).at("/Data/1/VarCharValue").asText());
        assertEquals("integer", JSON.readTree(fetched.stdout()).at("/ResultSet/ResultSetMetadata/ColumnInfo/1/Type")
            .asText());

        Result workGroups = aws(endpoints, "list-work-groups");
        assertEquals(0, workGroups.exitCode(), workGroups.stderr());
        assertTrue(workGroups.stdout().contains("\"primary\""));
        Result stop = aws(endpoints, "stop-query-execution", "--query-execution-id", id);
        assertEquals(0, stop.exitCode(), stop.stderr());
    }

    @Test
    void errorsReachTheCliAsTheirAwsErrorCodes(LocalAwsEndpoints endpoints) throws Exception {
        Result missing = aws(endpoints, "get-query-execution", "--query-execution-id",
            "00000000-0000-0000-0000-000000000000");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("(InvalidRequestException)"), missing.stderr());
    }
}
