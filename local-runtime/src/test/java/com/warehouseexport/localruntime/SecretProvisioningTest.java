package com.warehouseexport.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Secrets of the template: created once with a generated value, found by the partial ARN the functions get. */
@LocalAwsTest
class SecretProvisioningTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void generateSecretStringFollowsItsOptions() throws Exception {
        JsonNode spec = JSON.readTree("{\"SecretStringTemplate\":\"{\\\"user\\\":\\\"u\\\"}\","
            + "\"GenerateStringKey\":\"key\",\"PasswordLength\":64,\"ExcludePunctuation\":true}");
        JsonNode value = JSON.readTree(ResourceProvisioner.generatedValue(spec));
        assertEquals("u", value.get("user").asText());
        assertTrue(value.get("key").asText().matches("[A-Za-z0-9]{64}"), value.toString());
        assertNotEquals(value.get("key"), JSON.readTree(ResourceProvisioner.generatedValue(spec)).get("key"));

        String plain = ResourceProvisioner.generatedValue(JSON.readTree(
            "{\"PasswordLength\":20,\"ExcludeUppercase\":true,\"ExcludeLowercase\":true,\"ExcludeCharacters\":\"0\"}"));
        assertTrue(plain.matches("[1-9!-/:-@\\[-`{-~]{20}"), plain);
    }

    @Test
    void createdOnceAndReadableThroughThePartialArn(SecretsManagerClient secrets) throws Exception {
        String name = "stack-" + UUID.randomUUID() + "-LinkSecret";
        String partialArn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + name;
        SamTemplate template = new SamTemplate(null, "stack", "us-east-1", "000000000000", Map.of(), List.of(),
            List.of(), List.of(), List.of(), List.of(), Map.of(), List.of(), List.of(new SamTemplate.Secret("LinkSecret", name,
                partialArn, null, JSON.readTree("{\"GenerateStringKey\":\"key\",\"SecretStringTemplate\":\"{}\"}"))));
        PrintStream log = new PrintStream(new ByteArrayOutputStream());

        assertEquals(List.of(name), ResourceProvisioner.provisionSecrets(template, secrets, log));
        String first = secrets.getSecretValue(r -> r.secretId(partialArn)).secretString();
        assertEquals(32, JSON.readTree(first).get("key").asText().length());

        assertEquals(List.of(), ResourceProvisioner.provisionSecrets(template, secrets, log), "a restart keeps it");
        assertEquals(first, secrets.getSecretValue(r -> r.secretId(partialArn)).secretString());
    }
}
