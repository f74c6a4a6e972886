package com.warehouseexport.localaws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.events.EventBus;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localaws.ses.Outbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ses.SesClient;

/** Every service of one LocalAws instance answers, and they are wired to each other as on AWS. */
@LocalAwsTest
class LocalAwsWiringTest {

    @Test
    void unloadWritesToTheS3EmulatorAndPublishesItsCompletionEvent(RedshiftDataClient redshift, S3Client s3,
                                                                  EventBus bus) throws Exception {
        s3.createBucket(b -> b.bucket("wiring-results"));
        List<ObjectNode> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = bus.subscribe(events::add)) {
            String id = redshift.executeStatement(e -> e.clusterIdentifier("local").database("dev").dbUser("awsuser")
                .statementName("wiring").withEvent(true)
                .sql("unload ('select * from rsdataapi.product_detail where sku = \\'FLOWER12\\'') "
                    + "to 's3://wiring-results/flowers/part_' iam_role default format as csv header manifest"))
                .id();
            DescribeStatementResponse done = awaitFinal(redshift, id);
            assertEquals(StatusString.FINISHED, done.status(), done.error());
            assertEquals(1L, done.resultRows());

            String csv = s3.getObjectAsBytes(g -> g.bucket("wiring-results").key("flowers/part_0000_part_00"))
                .asUtf8String();
            assertEquals("sku,product_id,product_name,product_description\nFLOWER12,12345,Flowers - Rose,Flowers-Rose",
                csv.strip());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (events.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals("aws.redshift-data", events.get(0).get("source").asText());
            assertEquals(id, events.get(0).at("/detail/statementId").asText());
        }
    }

    @Test
    void sesAndSecretsManagerShareTheProjectEndpoint(SesClient ses, SecretsManagerClient secrets, Outbox outbox) {
        ses.verifyEmailIdentity(v -> v.emailAddress("wiring@example.com"));
        String messageId = ses.sendEmail(m -> m.source("wiring@example.com")
            .destination(d -> d.toAddresses("partner@example.com"))
            .message(msg -> msg.subject(s -> s.data("wiring")).body(b -> b.text(t -> t.data("hello")))))
            .messageId();
        assertTrue(outbox.find(messageId).isPresent());

        secrets.createSecret(c -> c.name("wiring/secret").secretString("{\"password\":\"p\"}"));
        assertEquals("{\"password\":\"p\"}", secrets.getSecretValue(g -> g.secretId("wiring/secret")).secretString());
    }

    private static DescribeStatementResponse awaitFinal(RedshiftDataClient redshift, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            DescribeStatementResponse response = redshift.describeStatement(d -> d.id(id));
            if (response.status() == StatusString.FINISHED || response.status() == StatusString.FAILED
                || response.status() == StatusString.ABORTED) {
                return response;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("statement " + id + " did not finish");
    }
}
