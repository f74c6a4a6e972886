package com.warehouseexport.localruntime.apigateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.warehouseexport.localruntime.lambda.InvocationResult;
import com.warehouseexport.localruntime.outbox.OutboxPages;
import com.warehouseexport.localruntime.outbox.OutboxSource;
import com.warehouseexport.localruntime.template.SamTemplate;
import com.warehouseexport.localruntime.template.TemplateOptions;
import com.warehouseexport.localruntime.template.UsagePlan;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local API Gateway (REST API, Lambda proxy integration) on 127.0.0.1: routes from the template's Api events,
 * AWS_IAM checked by {@link SigV4Verifier}, the proxy event built as API Gateway builds it. Also serves the local
 * outbox pages under {@code /_local/} (no signature: the server only listens on loopback).
 *
 * <p>Header names reach handlers as the JDK HTTP server normalises them (first letter upper case, the rest lower
 * case, e.g. {@code X-amz-date}): HTTP header names are case-insensitive and handlers must treat them so (on AWS,
 * HTTP/2 clients send them in lower case).
 */
public final class LocalApiGateway implements AutoCloseable {
    /** API Gateway gives up on an integration after 29 seconds. */
    static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final ExecutorService integrations;
    private volatile RouteTable routes;   // set once, by startServing(), before the server starts
    private final SigV4Verifier verifier;
    private final OutboxSource outbox;
    private final Clock clock;
    private final PrintStream log;
    private volatile UsagePlans usagePlans = UsagePlans.NONE;   // set with the routes
    private final StageThrottles stageThrottles = new StageThrottles(System::nanoTime);
    private volatile AccessLogs accessLogs = AccessLogs.NONE;    // set with the routes

    private LocalApiGateway(HttpServer server, ExecutorService httpThreads, ExecutorService integrations,
                            SigV4Verifier verifier, OutboxSource outbox, Clock clock, PrintStream log) {
        this.server = server;
        this.httpThreads = httpThreads;
        this.integrations = integrations;
        this.verifier = verifier;
        this.outbox = outbox;
        this.clock = clock;
        this.log = log;
    }

    /** Starts on 127.0.0.1:port (0 picks a free port); outbox may be null. No usage plans, no access logs. */
    public static LocalApiGateway start(int port, RouteTable routes, SigV4Verifier verifier, OutboxSource outbox,
                                        Clock clock, PrintStream log) throws IOException {
        return start(port, routes, verifier, outbox, clock, log, UsagePlans.NONE, AccessLogs.NONE);
    }

    /** Starts on 127.0.0.1:port (0 picks a free port); outbox may be null. */
    public static LocalApiGateway start(int port, RouteTable routes, SigV4Verifier verifier, OutboxSource outbox,
                                        Clock clock, PrintStream log, UsagePlans usagePlans, AccessLogs accessLogs)
        throws IOException {
        LocalApiGateway gateway = bind(port, verifier, outbox, clock, log);
        gateway.startServing(routes, usagePlans, accessLogs);
        return gateway;
    }

    /**
     * Binds 127.0.0.1:port without serving yet, so the port (and {@link #endpoint()}) is known before the template
     * is read: functions get the API's local URL in their environment. {@link #startServing} starts it.
     */
    public static LocalApiGateway bind(int port, SigV4Verifier verifier, OutboxSource outbox, Clock clock,
                                       PrintStream log) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ExecutorService httpThreads = Executors.newFixedThreadPool(16, daemon("api-gateway-http"));
        ExecutorService integrations = Executors.newCachedThreadPool(daemon("api-gateway-integration"));
        http.setExecutor(httpThreads);
        LocalApiGateway gateway = new LocalApiGateway(http, httpThreads, integrations, verifier, outbox, clock, log);
        http.createContext("/", gateway::serve);
        return gateway;
    }

    /** Starts answering with these routes, usage plans and access logs. */
    public void startServing(RouteTable routes, UsagePlans usagePlans, AccessLogs accessLogs) {
        if (this.routes != null) {
            throw new IllegalStateException("already serving");
        }
        this.usagePlans = java.util.Objects.requireNonNull(usagePlans, "usagePlans");
        this.accessLogs = java.util.Objects.requireNonNull(accessLogs, "accessLogs");
        this.routes = java.util.Objects.requireNonNull(routes, "routes");
        server.start();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /**
     * One request on its way through the gateway: the API it reached (null for the local pages, which are not
     * logged), the request parts gateway responses may map, and the $context variables of its access log line.
     */
    private static final class Call {
        final String requestId = UUID.randomUUID().toString();
        final Instant receivedAt;
        final long startedNanos = System.nanoTime();
        final Map<String, String> context = new HashMap<>();
        SamTemplate.Api api;
        GatewayResponses.RequestValues request = new GatewayResponses.RequestValues(Map.of(), Map.of(), Map.of());

        Call(Instant receivedAt) {
            this.receivedAt = receivedAt;
        }

        void reached(SamTemplate.Api reachedApi) {
            api = reachedApi;
            context.put("stage", reachedApi.stageName());
            context.put("apiId", reachedApi.restApiId());
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Call call = new Call(clock.instant());
            ProxyEvents.Response response;
            try {
                response = handle(exchange, body, call);
            } catch (RuntimeException e) {
                log.println("[api-gateway] internal error: " + e);
                response = ProxyEvents.internalServerError();
            }
            call.context.put("status", Integer.toString(response.status()));
            call.context.put("responseLength", Integer.toString(response.body().length));
            call.context.put("responseLatency", Long.toString((System.nanoTime() - call.startedNanos) / 1_000_000));
            // written before the answer leaves, so a client that got its answer finds its line
            try {
                accessLogs.write(call.api, call.context);
            } catch (RuntimeException e) {
                log.println("[api-gateway] " + e.getMessage());
            }
            send(exchange, response, call.requestId);
        }
    }

    private ProxyEvents.Response handle(HttpExchange exchange, byte[] body, Call call) {
        String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (rawPath.startsWith("/_local/") && method.equals("GET") && outbox != null) {
            if (rawPath.equals("/_local/outbox")) {
                return text(200, "application/json", OutboxPages.json(outbox.messages()));
            }
            if (rawPath.equals("/_local/outbox.html")) {
                return text(200, "text/html; charset=utf-8", OutboxPages.html(outbox.messages()));
            }
        }
        String path = SigV4Verifier.percentDecode(rawPath);
        Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            host = "127.0.0.1:" + port();
        }
        Map<String, String> context = call.context;
        context.put("requestId", call.requestId);
        context.put("extendedRequestId", ProxyEvents.extendedRequestId(call.requestId));
        context.put("requestTime", ProxyEvents.requestTime(call.receivedAt));
        context.put("requestTimeEpoch", Long.toString(call.receivedAt.toEpochMilli()));
        context.put("httpMethod", method);
        context.put("path", path);
        context.put("protocol", exchange.getProtocol());
        context.put("domainName", host);
        context.put("domainPrefix", ProxyEvents.domainPrefix(host));
        context.put("accountId", TemplateOptions.LOCAL_ACCOUNT_ID);
        context.put("identity.sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        context.put("identity.userAgent", ProxyEvents.firstHeader(headers, "User-Agent"));
        call.request = new GatewayResponses.RequestValues(headers, ProxyEvents.queryParameters(uri.getRawQuery()),
            Map.of());

        List<String> segments = ApiRoute.split(path);
        var resolved = routes.resolve(method, segments);
        if (resolved.isEmpty()) {
            Optional<RouteTable.Resource> resource = routes.resource(segments);
            resource.map(RouteTable.Resource::api).or(this::onlyApi).ifPresent(call::reached);
            if (method.equals("OPTIONS") && resource.isPresent() && resource.get().api().settings().cors() != null) {
                context.put("resourcePath", resource.get().resourcePath());
                return CorsPreflight.answer(resource.get());
            }
            return gatewayError(call, GatewayError.MISSING_AUTHENTICATION_TOKEN);
        }
        ApiRoute route = resolved.get().route();
        call.reached(route.api());
        call.request = new GatewayResponses.RequestValues(headers, call.request.query(),
            resolved.get().pathParameters());
        context.put("resourcePath", route.resourcePath());
        context.put("resourceId", ProxyEvents.resourceId(route.resourcePath()));
        Principal principal = null;
        if (route.iamAuth()) {
            SigV4Verifier.Outcome outcome = verifier.verify(new SigV4Verifier.ReceivedRequest(method, host, rawPath,
                uri.getRawQuery(), headers, body));
            if (outcome instanceof SigV4Verifier.Rejected rejected) {
                return gatewayError(call, GatewayError.of(rejected));
            }
            principal = ((SigV4Verifier.Verified) outcome).principal();
            context.put("identity.userArn", principal.arn());
            context.put("identity.caller", principal.userId());
            context.put("identity.user", principal.userId());
            context.put("identity.accountId", principal.accountId());
            context.put("identity.accessKey", principal.accessKeyId());
        }
        UsagePlan.ApiKey apiKey = null;
        if (route.apiKeyRequired()) {
            UsagePlans.Decision decision = usagePlans.check(route.api(), ProxyEvents.firstHeader(headers,
                "x-api-key"));
            if (decision instanceof UsagePlans.Refused refused) {
                return gatewayError(call, refused.error());
            }
            apiKey = ((UsagePlans.Accepted) decision).key();
            context.put("identity.apiKey", apiKey.value());
            context.put("identity.apiKeyId", apiKey.id());
        }
        if (!stageThrottles.tryTake(route)) {
            return gatewayError(call, GatewayError.THROTTLED);
        }
        List<String> missing = RequestValidation.missingParameters(route, call.request);
        if (!missing.isEmpty()) {
            return gatewayError(call, GatewayError.missingRequestParameters(missing));
        }
        // the event's path is the resource path without the stage, as API Gateway gives it
        String eventPath = resolved.get().staged() ? path.substring(path.indexOf('/', 1) < 0 ? path.length()
            : path.indexOf('/', 1)) : path;
        if (eventPath.isEmpty()) {
            eventPath = "/";
        }
        context.put("path", "/" + route.api().stageName() + eventPath);
        ProxyEvents.Request request = new ProxyEvents.Request(method, eventPath, uri.getRawQuery(), headers, body,
            context.get("identity.sourceIp"), exchange.getProtocol(), call.receivedAt, call.requestId, host);
        ObjectNode event = ProxyEvents.event(request, resolved.get(), principal);
        if (apiKey != null) {
            ObjectNode identity = (ObjectNode) event.path("requestContext").path("identity");
            identity.put("apiKey", apiKey.value());
            identity.put("apiKeyId", apiKey.id());
        }
        return integrate(route, event, call);
    }

    /** The API of a request that matched no resource: the template's only API, if it has just one. */
    private Optional<SamTemplate.Api> onlyApi() {
        List<SamTemplate.Api> apis = routes.routes().stream().map(ApiRoute::api).distinct().toList();
        return apis.size() == 1 ? Optional.of(apis.get(0)) : Optional.empty();
    }

    private static ProxyEvents.Response gatewayError(Call call, GatewayError error) {
        call.context.put("error.message", error.message());
        call.context.put("error.messageString", JSON.getNodeFactory().textNode(error.message()).toString());
        call.context.put("error.responseType", error.responseType());
        return GatewayResponses.respond(call.api, error, call.request, call.context);
    }

    private ProxyEvents.Response integrate(ApiRoute route, ObjectNode event, Call call) {
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long started = System.nanoTime();
        Future<InvocationResult> invocation = integrations.submit(() -> route.function().invoke(payload));
        InvocationResult result;
        try {
            result = invocation.get(INTEGRATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the function goes on running, as on AWS; the caller gets API Gateway's timeout
            log.println("[api-gateway] " + route.method() + " " + route.resourcePath() + ": integration timed out");
            integrationDone(call, started, null);
            return gatewayError(call, GatewayError.INTEGRATION_TIMEOUT);
        } catch (ExecutionException e) {
            log.println("[api-gateway] " + route.method() + " " + route.resourcePath() + ": " + e.getCause());
            integrationDone(call, started, null);
            return gatewayError(call, GatewayError.INTEGRATION_FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return gatewayError(call, GatewayError.INTEGRATION_FAILURE);
        }
        integrationDone(call, started, "200");
        if (result.failed()) {
            return gatewayError(call, GatewayError.INTEGRATION_FAILURE);
        }
        ProxyEvents.Response response = ProxyEvents.response(result.payload());
        if (response.status() == 502 && response.headers().containsKey("x-amzn-ErrorType")) {
            log.println("[api-gateway] " + route.method() + " " + route.resourcePath()
                + ": malformed Lambda proxy response: " + result.payloadText());
            return gatewayError(call, GatewayError.INTEGRATION_FAILURE);
        }
        return response;
    }

    /** $context.integration.*: Lambda's own status of the Invoke call (200 even when the function failed). */
    private static void integrationDone(Call call, long startedNanos, String status) {
        String latency = Long.toString((System.nanoTime() - startedNanos) / 1_000_000);
        call.context.put("integrationLatency", latency);
        call.context.put("integration.latency", latency);
        if (status != null) {
            call.context.put("integrationStatus", status);
            call.context.put("integration.status", status);
        }
    }

    private static ProxyEvents.Response text(int status, String contentType, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(contentType));
        headers.put("Cache-Control", List.of("no-store"));
        return new ProxyEvents.Response(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private void send(HttpExchange exchange, ProxyEvents.Response response, String requestId) throws IOException {
        var out = exchange.getResponseHeaders();
        response.headers().forEach((name, values) -> values.forEach(v -> out.add(name, v)));
        if (!out.containsKey("Content-Type")) {
            out.set("Content-Type", "application/json");
        }
        out.set("x-amzn-RequestId", requestId);
        out.set("x-amz-apigw-id", requestId.substring(0, 8) + "=");
        out.set("X-Amzn-Trace-Id", "Root=1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-"
            + requestId.replace("-", "").substring(0, 24));
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        int length = response.body().length;
        exchange.sendResponseHeaders(response.status(), head || length == 0 ? -1 : length);
        if (!head && length > 0) {
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(response.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        httpThreads.shutdownNow();
        integrations.shutdownNow();
    }
}
