package com.warehouseexport.localaws.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate JVM puts new values of a secret as fast as it can and is killed with SIGKILL in the middle; the
 * state file must still read, with every reported version in it and AWSCURRENT on the newest.
 */
class SecretsKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PUTS = 400;
    private static final int KILL_AFTER = 30;

    @TempDir
    Path dir;

    /** The child process: creates the secret, then puts values until killed, printing each stored index. */
    public static final class Writer {
        public static void main(String[] args) {
            SecretsManagerService service = new SecretsManagerService(Path.of(args[0]), "us-east-1", "123456789012");
            service.handle("CreateSecret", request().put("Name", "crash").put("SecretString", value(0)));
            for (int i = 1; i < MAX_PUTS; i++) {
                service.handle("PutSecretValue", request().put("SecretId", "crash").put("SecretString", value(i)));
                System.out.println("put " + i);
                System.out.flush();
            }
        }
    }

    private static ObjectNode request() {
        return JSON.createObjectNode();
    }

    /** About 20 KB, so that the rewritten state file grows to megabytes. */
    static String value(int i) {
        return "{\"n\":" + i + ",\"pad\":\"" + "ä".repeat(10_000) + "\"}";
    }

    @Test
    void killDashNineNeverLeavesAHalfStateFile() throws Exception {
        Path stateDir = dir.resolve("state");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            Writer.class.getName(), stateDir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        int lastReported = 0;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (lastReported < KILL_AFTER && (line = out.readLine()) != null) {
                lastReported = Integer.parseInt(line.substring("put ".length()));
            }
            child.destroyForcibly(); // SIGKILL on Linux
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                fail("the child did not die");
            }
        }
        assertTrue(lastReported >= KILL_AFTER, "the child stopped early at " + lastReported);
        Path stateFile = stateDir.resolve("secretsmanager.json");
        System.out.printf("killed after %d reported puts; state file %d bytes%n", lastReported,
            Files.size(stateFile));

        SecretsManagerService reloaded = new SecretsManagerService(stateDir, "us-east-1", "123456789012");
        JsonNode current = reloaded.handle("GetSecretValue", request().put("SecretId", "crash"));
        int currentIndex = JSON.readTree(current.get("SecretString").asText()).get("n").asInt();
        assertTrue(currentIndex >= lastReported, "lost a reported put: " + currentIndex + " < " + lastReported);
        JsonNode stages = reloaded.handle("DescribeSecret", request().put("SecretId", "crash"))
            .get("VersionIdsToStages");
        assertEquals(2, stages.size(), "AWSCURRENT and AWSPREVIOUS only: " + stages);
        JsonNode previous = reloaded.handle("GetSecretValue",
            request().put("SecretId", "crash").put("VersionStage", "AWSPREVIOUS"));
        assertEquals(value(currentIndex - 1), previous.get("SecretString").asText());
    }
}
