package com.warehouseexport.localaws.redshift;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Started as a separate JVM by {@link DurabilityTest}: finishes one statement, leaves a second one STARTED
 * (held by the test hook), prints both ids and waits to be killed with SIGKILL.
 */
public final class RedshiftCrashMain {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Warehouse warehouse = Warehouse.open(null, 1, "512MB");
        SampleData.ensure(warehouse, 100);
        RedshiftDataService service = new RedshiftDataService(warehouse, null, null, Path.of(args[0]), 1);
        String done = service.handle("ExecuteStatement", json.readTree("{\"ClusterIdentifier\": \"c\", "
            + "\"Database\": \"dev\", \"Sql\": \"select sku from rsdataapi.product_detail order by sku\", "
            + "\"ClientToken\": \"crash-token\"}")).get("Id").asText();
        while (!service.handle("DescribeStatement", json.createObjectNode().put("Id", done)).get("Status").asText()
                .equals("FINISHED")) {
            Thread.sleep(10);
        }
        CountDownLatch started = new CountDownLatch(1);
        service.setTransitionHook((id, next) -> {
            if (next.equals("FINISHED")) {
                started.countDown();
                Thread.sleep(Long.MAX_VALUE);
            }
        });
        String inFlight = service.handle("ExecuteStatement", json.readTree("{\"ClusterIdentifier\": \"c\", "
            + "\"Database\": \"dev\", \"Sql\": \"select count(*) from rsdataapi.product_inventory\"}"))
            .get("Id").asText();
        started.await();
        System.out.println("DONE " + done);
        System.out.println("INFLIGHT " + inFlight);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
