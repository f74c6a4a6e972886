package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localaws.ses.OutboxMessage;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.links.DownloadLinks;
import com.warehouseexport.model.links.LinkToken;
import com.warehouseexport.model.links.LinkTokens;
import com.warehouseexport.model.links.SecretsManagerLinkKeys;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With the API configured, the poller records and emails a durable link, not a presigned URL. */
@LocalAwsTest
class DurableLinkPollerTest {
    private static final String API = "https://abcdefghij.execute-api.us-east-1.amazonaws.com/v1";

    @Test
    void theEmailAndTheResultCarryASignedLinkToTheApi(LocalAws aws) throws Exception {
        PollerWorld world = new PollerWorld(aws, "durable");
        String secretArn = aws.clients().secretsManager().createSecret(r -> r.name("links-" + RequestIds.newId())
                .secretString("{\"key\":\"" + "k".repeat(48) + "\"}")).arn();
        LinkTokens tokens = new LinkTokens(new SecretsManagerLinkKeys(aws.clients().secretsManager(), secretArn),
                world.clock);
        ResultPoller poller = world.poller(aws.clients().redshiftData(),
                ArchiveLinks.durable(new DownloadLinks(API + "/", tokens)));
        String id = RequestIds.newId();
        world.requestIn(id, RequestState.PACKAGING, "statement-durable");
        ResultPackagerTest.writeUnloadOutput(aws.clients().s3(), world.resultsBucket, id, new int[] {10});
        world.clock.advance(PollerSettings.DEFAULT_PACKAGING_LEASE.plusMinutes(1));

        poller.sweep(() -> 600_000);

        ExportRequest done = world.table.get(id).orElseThrow();
        assertEquals(RequestState.SUCCEEDED, done.state());
        String link = done.result().downloadUrl();
        assertTrue(link.startsWith(API + "/links/"), link);
        assertFalse(link.contains("X-Amz-"), "no presigned URL anywhere: " + link);
        String token = link.substring((API + "/links/").length());
        LinkToken verified = assertInstanceOf(LinkTokens.Valid.class, tokens.verify(token)).token();
        assertEquals(id, verified.requestId());
        assertEquals(done.result().expiresAt().truncatedTo(ChronoUnit.SECONDS), verified.expiresAt());
        assertEquals(world.clock.instant().plus(Duration.ofHours(1)), done.result().expiresAt());

        List<OutboxMessage> emails = world.emailsAbout(id);
        assertEquals(1, emails.size());
        assertTrue(emails.get(0).text().contains("Download (zip): " + link), emails.get(0).text());
        assertFalse(emails.get(0).text().contains("X-Amz-"), emails.get(0).text());
        System.out.println("durable link length " + link.length() + ": " + link);
    }
}
