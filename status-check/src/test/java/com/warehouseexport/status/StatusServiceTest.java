package com.warehouseexport.status;

import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.table.ControlTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rules that need no table: ownership, and malformed ids answered before any read. */
class StatusServiceTest {
    /** A real client aimed at a closed port: any call it makes fails, so a test passing proves none was made. */
    private static final DynamoDbClient UNREACHABLE = DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .httpClient(UrlConnectionHttpClient.create())
            .build();

    private final StatusService service = new StatusService(
            new ControlTable(UNREACHABLE, "no-such-table", Duration.ofDays(1)), DatasetCatalog.load((String) null));

    @AfterAll
    static void close() {
        UNREACHABLE.close();
    }

    @Test
    void onlyTheOwnerSeesARequest() {
        ExportRequest request = ExportRequest.received("3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13",
                "arn:aws:iam::000000000000:user/partner-a", "product_detail", ValidatedParameters.empty(),
                ExportFormat.CSV, Instant.now());
        assertTrue(StatusService.isVisibleTo(request, "arn:aws:iam::000000000000:user/partner-a"));
        assertFalse(StatusService.isVisibleTo(request, "arn:aws:iam::000000000000:user/partner-b"));
        assertFalse(StatusService.isVisibleTo(request, "arn:aws:iam::000000000000:user/Partner-A"));
        assertFalse(StatusService.isVisibleTo(request, "arn:aws:iam::000000000000:user/partner-a "));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "abc", "3F6C1B5E-8D2A-4C7E-9B1F-2A4D6E8C0B13", "3f6c1b5e-8d2a-1c7e-9b1f-2a4d6e8c0b13",
            "../3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b1", "3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13x"})
    void aMalformedIdIsNotFoundWithoutReadingTheTable(String id) {
        ApiException status = assertThrows(ApiException.class, () -> service.status("owner", id));
        assertEquals(404, status.status());
        assertEquals("not_found", status.code());
        assertEquals(ApiException.notFound(id).toResponse(), status.toResponse());
        assertEquals(404, assertThrows(ApiException.class, () -> service.history("owner", id)).status());
    }

    @Test
    void theCatalogIsListedWithoutItsSql() {
        String datasets = service.datasets().toString();
        assertTrue(datasets.contains("\"name\":\"product_detail\""), datasets);
        assertTrue(datasets.contains("\"properties\":{\"sku\":{\"type\":\"string\""), datasets);
        assertFalse(datasets.toLowerCase().contains("select"), datasets);
    }
}
