package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localruntime.LocalRuntime;
import com.warehouseexport.localruntime.apigateway.Principals;
import com.warehouseexport.localruntime.outbox.SesOutbox;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The runtime with the real template.yaml in the test's JVM, and a look at its control table. */
final class InProcessRuntime {
    static final Path TEMPLATE = Path.of(System.getProperty("e2e.template", "../template.yaml"))
        .toAbsolutePath().normalize();

    private InProcessRuntime() {
    }

    static LocalRuntime start(LocalAws aws, String stackName) {
        return start(aws, stackName, Map.of());
    }

    /** With template parameter overrides, as {@code --parameter-overrides} gives them. */
    static LocalRuntime start(LocalAws aws, String stackName, Map<String, String> parameterOverrides) {
        long started = System.nanoTime();
        LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Settings(TEMPLATE, stackName, 0, parameterOverrides,
            Duration.ofSeconds(1), Principals.defaults(), null), aws, new SesOutbox(aws.outbox()), System.out);
        System.out.println("E2E figure: in-process runtime start " + (System.nanoTime() - started) / 1_000_000
            + " ms (" + stackName + ")");
        for (SamTemplate.Function function : runtime.template().functions()) {
            assertTrue(Files.isRegularFile(function.codeUri()), () -> function.logicalId() + "'s jar "
                + function.codeUri() + " is missing: build the function modules first (mvn -B verify does)");
        }
        return runtime;
    }

    /** Every item of the control table (consistent scan). */
    static List<Map<String, AttributeValue>> controlItems(LocalAws aws, LocalRuntime runtime) {
        String table = runtime.template().table("ControlTable").orElseThrow().tableName();
        return aws.clients().dynamoDb().scanPaginator(r -> r.tableName(table).consistentRead(true)).items().stream()
            .toList();
    }

    /** The {@code pk}/{@code sk} of every control-table item. */
    static Set<String> controlKeys(LocalAws aws, LocalRuntime runtime) {
        Set<String> keys = new HashSet<>();
        controlItems(aws, runtime).forEach(item -> keys.add(item.get("pk").s() + " " + item.get("sk").s()));
        return keys;
    }
}
