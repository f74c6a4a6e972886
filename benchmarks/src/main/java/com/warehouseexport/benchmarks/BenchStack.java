package com.warehouseexport.benchmarks;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localruntime.LocalRuntime;
import com.warehouseexport.localruntime.apigateway.Principals;
import com.warehouseexport.localruntime.outbox.SesOutbox;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One local runtime (a template variant) on the shared local AWS, with a signed client for partner-a. */
final class BenchStack implements AutoCloseable {
    final LocalAws aws;
    final LocalRuntime runtime;
    final SignedClient api;
    private final PrintStream log;

    private BenchStack(LocalAws aws, LocalRuntime runtime, PrintStream log) {
        this.aws = aws;
        this.runtime = runtime;
        this.log = log;
        this.api = new SignedClient(runtime.apiEndpoint());
    }

    /** pollEvery null keeps the template's own schedule (rate(1 minute)). */
    static BenchStack start(LocalAws aws, Path template, String stackName, Duration pollEvery, Path logFile) {
        return start(aws, template, stackName, pollEvery, logFile, Map.of());
    }

    /** With template parameter overrides (name → value). */
    static BenchStack start(LocalAws aws, Path template, String stackName, Duration pollEvery, Path logFile,
                            Map<String, String> parameters) {
        try {
            PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile(), true), true);
            LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Settings(template, stackName, 0, parameters,
                pollEvery, Principals.defaults(), null), aws, new SesOutbox(aws.outbox()), log);
            return new BenchStack(aws, runtime, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String controlTable() {
        return runtime.functions().get("RequestReceiverFunction").environment().get("CONTROL_TABLE");
    }

    /** The request's statement id, read from the control table. */
    String statementId(String requestId) {
        Map<String, AttributeValue> item = aws.clients().dynamoDb().getItem(r -> r.tableName(controlTable())
            .key(Map.of("pk", AttributeValue.fromS("REQ#" + requestId), "sk", AttributeValue.fromS("REQUEST")))
            .consistentRead(true)).item();
        AttributeValue id = item.get("statementId");
        return id == null ? null : id.s();
    }

    /** POST /exports; the request id of the 202. */
    String submit(String body) {
        SignedClient.Reply reply = api.post("/exports", body);
        if (reply.status() != 202) {
            throw new IllegalStateException("POST /exports answered " + reply.status() + ": " + reply.body());
        }
        return reply.json().path("requestId").asText();
    }

    @Override
    public void close() {
        runtime.close();
        log.close();
    }
}
