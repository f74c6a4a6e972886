package com.warehouseexport.poller;

import static com.warehouseexport.poller.TestRequests.ID;
import static com.warehouseexport.poller.TestRequests.T0;
import static com.warehouseexport.poller.TestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestState;
import org.junit.jupiter.api.Test;

class ExportEmailTest {
    private static final String URL = "http://127.0.0.1:9000/archive/archives/x/x.zip?X-Amz-Expires=3600&X-Amz-Signature=ab";

    @Test
    void successEmailCarriesLinkRowsSizeAndExpiry() {
        ExportResult result = new ExportResult(1_234_567, 12_897_485, ExportFormat.CSV, 3, URL,
                T0.plusSeconds(3600), "archives/x/x.zip");
        ExportEmail email = ExportEmail.forRequest(TestRequests.withResult(request(RequestState.PACKAGING, "s", T0), result));
        assertEquals("Export " + ID + " is ready", email.subject());
        assertTrue(email.text().contains(URL), email.text());
        assertTrue(email.text().contains("Rows: 1,234,567"), email.text());
        assertTrue(email.text().contains("12.3 MiB (12,897,485 bytes)"), email.text());
        assertTrue(email.text().contains("2026-11-21T15:12:00.000Z"), email.text());
        assertTrue(email.html().contains("href=\"" + URL.replace("&", "&amp;") + "\""), email.html());
        assertFalse(email.html().contains("&X-Amz"), "ampersands are escaped in HTML");
        assertTrue(email.text().contains("GET /exports/" + ID + "/download"), email.text());
    }

    @Test
    void theEmailSaysTheCompressionWhenThereIsOne() {
        ExportResult result = new ExportResult(10, 100, ExportFormat.CSV, 2, URL, T0.plusSeconds(3600), "a.zip");
        ExportRequest r = TestRequests.withResult(request(RequestState.PACKAGING, "s", T0), result);
        ExportRequest zstd = new ExportRequest(r.requestId(), r.owner(), r.dataset(), r.parameters(), r.format(),
                r.state(), r.version(), r.createdAt(), r.updatedAt(), r.statementId(), r.result(), r.error(),
                Compression.ZSTD);
        ExportEmail email = ExportEmail.forRequest(zstd);
        assertTrue(email.text().contains("Format: csv (zstd-compressed, .csv.zst files), 2 file(s)\n"), email.text());
        assertTrue(email.html().contains("csv (zstd-compressed, .csv.zst files), 2 file(s)"), email.html());
        assertTrue(ExportEmail.forRequest(r).text().contains("Format: csv, 2 file(s)\n"));
    }

    @Test
    void aDurableLinkIsEmailedAsItIs() {
        String durable = "https://abc123defg.execute-api.us-east-1.amazonaws.com/v1/links/djEu.c2ln";
        ExportResult result = new ExportResult(1, 10, ExportFormat.CSV, 1, durable, T0.plusSeconds(86_400),
                "archives/x/x.zip");
        ExportEmail email = ExportEmail.forRequest(TestRequests.withResult(request(RequestState.PACKAGING, "s", T0), result));
        assertTrue(email.text().contains("Download (zip): " + durable + "\n"), email.text());
        assertTrue(email.html().contains("href=\"" + durable + "\""), email.html());
    }

    @Test
    void failureEmailCarriesTheWarehouseError() {
        ExportError error = new ExportError("statement_failed", "ERROR: relation \"rsdataapi.gone\" does not exist <x>");
        ExportEmail email = ExportEmail.forRequest(TestRequests.withError(request(RequestState.RUNNING, "s", T0), error));
        assertEquals("Export " + ID + " failed", email.subject());
        assertTrue(email.text().contains("statement_failed"));
        assertTrue(email.text().contains("relation \"rsdataapi.gone\" does not exist <x>"));
        assertTrue(email.html().contains("relation &quot;rsdataapi.gone&quot; does not exist &lt;x&gt;"), email.html());
    }

    @Test
    void onlyFinalOutcomesHaveAnEmail() {
        assertThrows(IllegalArgumentException.class, () -> ExportEmail.forRequest(request(RequestState.RUNNING, "s", T0)));
    }

    @Test
    void sizesAreReadable() {
        assertEquals("512 bytes", ExportEmail.humanSize(512));
        assertEquals("1.0 KiB (1,024 bytes)", ExportEmail.humanSize(1024));
        assertEquals("5.0 GiB (5,368,709,120 bytes)", ExportEmail.humanSize(5L << 30));
    }
}
