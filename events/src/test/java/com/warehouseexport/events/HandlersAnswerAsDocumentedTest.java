package com.warehouseexport.events;

import static com.warehouseexport.events.JsonShapes.assertSameJson;
import static com.warehouseexport.events.JsonShapes.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import com.warehouseexport.events.OpenApiDocument.Response;
import com.warehouseexport.events.SamTemplate.Route;
import com.warehouseexport.localaws.Logging;
import com.warehouseexport.localaws.Ports;
import com.warehouseexport.localaws.dynamodb.DynamoDbEmulator;
import com.warehouseexport.localaws.sqs.SqsEmulator;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.receiver.ExportOrderReader;
import com.warehouseexport.receiver.ExportSubmissionService;
import com.warehouseexport.receiver.RequestReceiverHandler;
import com.warehouseexport.status.StatusCheckHandler;
import com.warehouseexport.status.StatusService;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Both API handlers, driven by the {@code api-*.json} fixtures over DynamoDB Local and ElasticMQ, answer what
 * docs/openapi.yaml says: every service error example is exactly what a handler answers for some request,
 * under the documented status, and every success answer validates against its schema and has the shape of its
 * example.
 */
class HandlersAnswerAsDocumentedTest {

    private static final Route POST_EXPORTS = new Route("POST", "/exports");
    private static final Route POST_PRODUCT = new Route("POST", "/product");
    private static final Route GET_EXPORT = new Route("GET", "/exports/{id}");
    private static final Route GET_HISTORY = new Route("GET", "/exports/{id}/history");
    private static final Route GET_DATASETS = new Route("GET", "/datasets");
    private static final Route GET_PRODUCT = new Route("GET", "/product");
    private static final String TABLE = "contract-requests";
    private static final String MISSING_TABLE = "contract-no-such-table";
    private static final Pattern REFERENCE = Pattern.compile("\\(reference ([^)]+)\\)");

    private static final OpenApiDocument doc = OpenApiDocument.load();
    private static final DatasetCatalog catalog = DatasetCatalog.load((String) null);
    private static final List<AutoCloseable> closeables = new ArrayList<>();

    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static String queueUrl;
    private static ControlTable table;
    private static RequestReceiverHandler receiver;
    private static StatusCheckHandler status;

    @BeforeAll
    static void startDynamoDbAndSqs() throws Exception {
        Logging.configure(false);
        long started = System.nanoTime();
        CompletableFuture<DynamoDbEmulator> dynamoEmulator = CompletableFuture.supplyAsync(() -> start(
                "DynamoDB Local", () -> DynamoDbEmulator.start(null, 0)));
        CompletableFuture<SqsEmulator> sqsEmulator = CompletableFuture.supplyAsync(() -> start(
                "ElasticMQ", () -> SqsEmulator.start(null, "us-east-1", "000000000000", 0)));
        closeables.add(dynamoEmulator.join());
        closeables.add(sqsEmulator.join());
        dynamo = client(DynamoDbClient.builder(), dynamoEmulator.join().endpoint());
        sqs = client(SqsClient.builder(), sqsEmulator.join().endpoint());
        ControlTableSchema.createTableIfMissing(dynamo, TABLE);
        queueUrl = sqs.createQueue(q -> q.queueName("contract-exports")).queueUrl();
        table = new ControlTable(dynamo, TABLE, Duration.ofDays(30));
        receiver = receiver(table, sqs);
        status = new StatusCheckHandler(new StatusService(table, catalog));
        System.out.printf("emulators ready, table and queue created in %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void everyServiceErrorExampleIsWhatAHandlerAnswers() {
        Map<String, Function<String, APIGatewayProxyResponseEvent>> scenarios = errorScenarios();
        Set<String> reproduced = new TreeSet<>();
        Map<String, String> statusOfComponent = new HashMap<>();
        for (Response response : doc.responses()) {
            if (response.component() != null) {
                String previous = statusOfComponent.put(response.component(), response.status());
                assertTrue(previous == null || previous.equals(response.status()),
                        response.component() + " is used for " + previous + " and " + response.status());
            }
        }
        doc.at("/components/responses").properties().forEach(component -> {
            String name = component.getKey();
            Map<String, JsonNode> examples = new OpenApiDocument.MediaType("/components/responses/" + name,
                    component.getValue().path("content").path("application/json")).examples();
            examples.forEach((exampleName, example) -> {
                if (!example.has("error")) {
                    return; // answered by API Gateway itself
                }
                String key = name + "/" + exampleName;
                Function<String, APIGatewayProxyResponseEvent> scenario = scenarios.get(key);
                assertTrue(scenario != null, "no request in this test produces example " + key);
                Matcher reference = REFERENCE.matcher(example.path("message").asText());
                APIGatewayProxyResponseEvent answer = scenario.apply(reference.find() ? reference.group(1) : "-");
                assertEquals(Integer.parseInt(statusOfComponent.get(name)), answer.getStatusCode(), key);
                assertEquals("application/json", answer.getHeaders().get("Content-Type"), key);
                assertSameJson(example, Json.parse(answer.getBody()), key);
                reproduced.add(key);
            });
        });
        System.out.println("error examples reproduced by the handlers: " + reproduced);
        assertEquals(new TreeSet<>(scenarios.keySet()), reproduced, "scenarios without an example");
    }

    @Test
    void successfulAnswersValidateAndHaveTheShapeOfTheirExamples() {
        JsonNode accepted = checkSuccess(POST_EXPORTS, receiver.handleRequest(fixture("api-post-exports.json"), context()),
                "example");
        String id = accepted.get("requestId").asText();
        assertEquals("/exports/" + id + "/history", accepted.at("/links/history").asText());

        JsonNode productAccepted = checkSuccess(POST_PRODUCT,
                receiver.handleRequest(fixture("api-post-product.json"), context()), "example");
        assertEquals("RequestId", productAccepted.fieldNames().next(), "the seed's key comes first");
        assertEquals(productAccepted.get("requestId"), productAccepted.get("RequestId"));

        checkSuccess(GET_EXPORT, status.handleRequest(withPathId(fixture("api-get-export.json"), id), context()),
                "queued");
        checkSuccess(GET_HISTORY, status.handleRequest(withPathId(fixture("api-get-export-history.json"), id),
                context()), "example");
        JsonNode datasets = checkSuccess(GET_DATASETS, status.handleRequest(fixture("api-get-datasets.json"), context()),
                "example");
        assertSameJson(doc.response(GET_DATASETS, "200").json().examples().get("example"), datasets, "GET /datasets");

        for (String type : List.of("latest", "all")) {
            APIGatewayProxyRequestEvent event = withHeader(withHeader(fixture("api-get-product.json"), "requestid", id),
                    "type", type);
            JsonNode product = checkSuccess(GET_PRODUCT, status.handleRequest(event, context()), type);
            assertEquals("RequestId", product.fieldNames().next(), "the seed's key comes first");
            assertEquals(id, product.get("RequestId").asText());
        }
    }

    /**
     * The answer's status is documented for the route, its body validates against that response's schema and
     * has the shape of the named example, and the documented headers are there with allowed values.
     */
    private static JsonNode checkSuccess(Route route, APIGatewayProxyResponseEvent answer, String exampleName) {
        String what = route + " -> " + answer.getStatusCode() + " " + answer.getBody();
        Response response = doc.response(route, Integer.toString(answer.getStatusCode()));
        assertTrue(response.status().startsWith("2"), what);
        JsonNode body = Json.parse(answer.getBody());
        Set<ValidationMessage> problems = doc.validate(response.json().schemaPointer(), body);
        assertEquals(Set.of(), problems, what);
        JsonNode example = response.json().examples().get(exampleName);
        assertTrue(example != null, route + " has no example " + exampleName);
        assertEquals(shape(example), shape(body), route + " body vs example " + exampleName);

        assertEquals("application/json", answer.getHeaders().get("Content-Type"), what);
        response.node().path("headers").properties().forEach(header -> {
            String value = answer.getHeaders().get(header.getKey());
            assertTrue(value != null, what + " lacks header " + header.getKey());
            Set<String> allowed = new TreeSet<>();
            doc.resolve(header.getValue()).at("/schema/enum").forEach(v -> allowed.add(v.asText()));
            assertTrue(allowed.isEmpty() || allowed.contains(value), what + ": header " + header.getKey() + " " + value);
        });
        return body;
    }

    /** A request for each error example, by "component/example"; the argument is the Lambda request id to use. */
    private static Map<String, Function<String, APIGatewayProxyResponseEvent>> errorScenarios() {
        Map<String, Function<String, APIGatewayProxyResponseEvent>> scenarios = new LinkedHashMap<>();
        scenarios.put("ExportBadRequest/empty_body", ref -> postExports(""));
        scenarios.put("ExportBadRequest/invalid_json", ref -> postExports("{\"dataset\": product_detail}"));
        scenarios.put("ExportBadRequest/invalid_body", ref -> postExports("[{\"dataset\":\"product_detail\"}]"));
        scenarios.put("ExportBadRequest/unknown_field", ref -> postExports(
                "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"colour\":\"red\"}"));
        scenarios.put("ExportBadRequest/missing_field", ref -> postExports("{\"parameters\":{\"sku\":\"FLOWER12\"}}"));
        scenarios.put("ExportBadRequest/wrong_type", ref -> postExports("{\"dataset\":7}"));
        scenarios.put("ExportBadRequest/unknown_dataset", ref -> postExports("{\"dataset\":\"orders\"}"));
        scenarios.put("ExportBadRequest/invalid_format", ref -> postExports(
                "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"format\":\"xlsx\"}"));
        scenarios.put("ExportBadRequest/invalid_parameter", ref -> postExports(
                "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER 12\"}}"));
        scenarios.put("ExportBadRequest/invalid_parameters", ref -> postExports(
                "{\"dataset\":\"product_inventory\",\"parameters\":{\"warehouse_id\":\"3\",\"limit\":0,\"colour\":\"red\"}}"));
        scenarios.put("ProductBadRequest/unknown_field", ref -> postProduct("{\"sku\":\"FLOWER13\",\"colour\":\"red\"}"));
        scenarios.put("ProductBadRequest/missing_sku", ref -> postProduct("{\"productname\":\"Roses\"}"));
        scenarios.put("ProductBadRequest/invalid_fields", ref -> postProduct(
                "{\"sku\":\"FLOWER 13\",\"createdate\":\"2026-02-30\"}"));
        scenarios.put("ProductQueryBadRequest/missing_header", ref -> {
            APIGatewayProxyRequestEvent event = fixture("api-get-product.json");
            Map<String, String> headers = new HashMap<>(event.getHeaders());
            headers.remove("requestid");
            event.setHeaders(headers);
            Map<String, List<String>> multiValueHeaders = new HashMap<>(event.getMultiValueHeaders());
            multiValueHeaders.remove("requestid");
            event.setMultiValueHeaders(multiValueHeaders);
            return status.handleRequest(event, context());
        });
        scenarios.put("ProductQueryBadRequest/invalid_header", ref -> status.handleRequest(
                withHeader(fixture("api-get-product.json"), "type", "newest"), context()));
        // Nobody has created 3f6c1b5e-… in this test's table: unknown, exactly like another caller's request.
        scenarios.put("NotFound/unknown", ref -> status.handleRequest(fixture("api-get-export.json"), context()));
        scenarios.put("NotFound/malformed", ref -> status.handleRequest(
                withPathId(fixture("api-get-export.json"), "latest"), context()));
        scenarios.put("Forbidden/noIdentity", ref -> {
            APIGatewayProxyRequestEvent event = fixture("api-post-exports.json");
            event.getRequestContext().getIdentity().setUserArn(null);
            event.getRequestContext().getIdentity().setCaller(null);
            return receiver.handleRequest(event, context());
        });
        scenarios.put("ExportBadRequest/invalid_idempotency_key", ref -> receiver.handleRequest(withHeader(
                fixture("api-post-exports.json"), "Idempotency-Key", "caf\u00e9"), context()));
        scenarios.put("UnsupportedMediaType/example", ref -> receiver.handleRequest(withHeader(
                fixture("api-post-exports.json"), "Content-Type", "text/plain"), context()));
        scenarios.put("IdempotencyKeyReused/example", ref -> {
            String key = "contract-" + java.util.UUID.randomUUID();
            receiver.handleRequest(withHeader(fixture("api-post-exports.json"), "Idempotency-Key", key), context());
            APIGatewayProxyRequestEvent other = withHeader(fixture("api-post-exports.json"), "Idempotency-Key", key);
            other.setBody("{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER13\"}}");
            return receiver.handleRequest(other, context());
        });
        scenarios.put("BodyTooLarge/example", ref -> postExports(
                "{\"dataset\":\"" + "x".repeat(ExportOrderReader.MAX_BODY_BYTES) + "\"}"));
        // A missing table is not a passing outage: the receiver and the status function answer 500.
        scenarios.put("InternalError/export", ref -> receiver(new ControlTable(dynamo, MISSING_TABLE, Duration.ofDays(1)),
                sqs).handleRequest(fixture("api-post-exports.json"), context(ref)));
        scenarios.put("InternalError/status", ref -> new StatusCheckHandler(new StatusService(
                new ControlTable(dynamo, MISSING_TABLE, Duration.ofDays(1)), catalog))
                .handleRequest(fixture("api-get-export.json"), context(ref)));
        // Unreachable services: real clients pointed at a loopback port nobody listens on.
        scenarios.put("Unavailable/nothingRecorded", ref -> receiver(
                new ControlTable(unreachable(DynamoDbClient.builder()), TABLE, Duration.ofDays(1)), sqs)
                .handleRequest(fixture("api-post-exports.json"), context()));
        scenarios.put("Unavailable/queueUnavailable", ref -> receiver(table, unreachable(SqsClient.builder()))
                .handleRequest(fixture("api-post-exports.json"), context()));
        return scenarios;
    }

    private static APIGatewayProxyResponseEvent postExports(String body) {
        APIGatewayProxyRequestEvent event = fixture("api-post-exports.json");
        event.setBody(body);
        return receiver.handleRequest(event, context());
    }

    private static APIGatewayProxyResponseEvent postProduct(String body) {
        APIGatewayProxyRequestEvent event = fixture("api-post-product.json");
        event.setBody(body);
        return receiver.handleRequest(event, context());
    }

    private static RequestReceiverHandler receiver(ControlTable controlTable, SqsClient queueClient) {
        return new RequestReceiverHandler(new ExportSubmissionService(catalog, controlTable, queueClient, queueUrl));
    }

    private static APIGatewayProxyRequestEvent fixture(String name) {
        return LambdaRuntimeJson.read(ProjectFiles.fixture(name), APIGatewayProxyRequestEvent.class);
    }

    private static APIGatewayProxyRequestEvent withPathId(APIGatewayProxyRequestEvent event, String id) {
        event.setPathParameters(Map.of("id", id));
        return event;
    }

    private static APIGatewayProxyRequestEvent withHeader(APIGatewayProxyRequestEvent event, String name, String value) {
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put(name, value);
        event.setHeaders(headers);
        Map<String, List<String>> multiValueHeaders = new HashMap<>(event.getMultiValueHeaders());
        multiValueHeaders.put(name, List.of(value));
        event.setMultiValueHeaders(multiValueHeaders);
        return event;
    }

    private static <C, B extends AwsSyncClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>>
            C client(B builder, URI endpoint) {
        C client = builder.region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("contract", "test")))
                .endpointOverride(endpoint)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        closeables.add((AutoCloseable) client);
        return client;
    }

    /** A client of a service that is down: nothing listens on its port, and it does not retry. */
    private static <C, B extends AwsSyncClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>>
            C unreachable(B builder) {
        builder.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        return client(builder, URI.create("http://127.0.0.1:" + Ports.freeLoopbackPort()));
    }

    private static Context context() {
        return context("5a9e1d3b-7c2f-4e86-b4a0-9f6c8d2e1b37");
    }

    private static Context context(String awsRequestId) {
        return new FixedContext(awsRequestId);
    }

    private interface Start<T> {
        T start() throws Exception;
    }

    private static <T> T start(String name, Start<T> step) {
        long started = System.nanoTime();
        try {
            T emulator = step.start();
            System.out.printf("%s started in %d ms%n", name, (System.nanoTime() - started) / 1_000_000);
            return emulator;
        } catch (Exception e) {
            throw new IllegalStateException(name + " did not start", e);
        }
    }

    /** The Lambda context as far as the handlers read it: the invocation's request id, quoted in 500 answers. */
    private record FixedContext(String awsRequestId) implements Context {
        @Override
        public String getAwsRequestId() {
            return awsRequestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/contract-test";
        }

        @Override
        public String getLogStreamName() {
            return "contract-test";
        }

        @Override
        public String getFunctionName() {
            return "contract-test";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:contract-test";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return null;
        }
    }
}
