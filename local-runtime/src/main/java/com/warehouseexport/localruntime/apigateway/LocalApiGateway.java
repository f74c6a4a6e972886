package com.warehouseexport.localruntime.apigateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.warehouseexport.localruntime.lambda.InvocationResult;
import com.warehouseexport.localruntime.outbox.OutboxPages;
import com.warehouseexport.localruntime.outbox.OutboxSource;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private LocalApiGateway(HttpServer server, ExecutorService httpThreads, ExecutorService integrations,
                            RouteTable routes, SigV4Verifier verifier, OutboxSource outbox, Clock clock,
                            PrintStream log) {
        this.server = server;
        this.httpThreads = httpThreads;
        this.integrations = integrations;
        this.routes = routes;
        this.verifier = verifier;
        this.outbox = outbox;
        this.clock = clock;
        this.log = log;
    }

    /** Starts on 127.0.0.1:port (0 picks a free port); outbox may be null. */
    public static LocalApiGateway start(int port, RouteTable routes, SigV4Verifier verifier, OutboxSource outbox,
                                        Clock clock, PrintStream log) throws IOException {
        LocalApiGateway gateway = bind(port, verifier, outbox, clock, log);
        gateway.startServing(routes);
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
        LocalApiGateway gateway = new LocalApiGateway(http, httpThreads, integrations, null, verifier, outbox,
            clock, log);
        http.createContext("/", gateway::serve);
        return gateway;
    }

    /** Starts answering with these routes. */
    public void startServing(RouteTable routes) {
        if (this.routes != null) {
            throw new IllegalStateException("already serving");
        }
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

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            ProxyEvents.Response response;
            try {
                response = handle(exchange, body);
            } catch (RuntimeException e) {
                log.println("[api-gateway] internal error: " + e);
                response = ProxyEvents.internalServerError();
            }
            send(exchange, response);
        }
    }

    private ProxyEvents.Response handle(HttpExchange exchange, byte[] body) {
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
        var resolved = routes.resolve(method, ApiRoute.split(path));
        if (resolved.isEmpty()) {
            return ProxyEvents.missingAuthenticationToken();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            host = "127.0.0.1:" + port();
        }
        Principal principal = null;
        if (resolved.get().route().iamAuth()) {
            SigV4Verifier.Outcome outcome = verifier.verify(new SigV4Verifier.ReceivedRequest(method, host, rawPath,
                uri.getRawQuery(), headers, body));
            if (outcome instanceof SigV4Verifier.Rejected rejected) {
                return ProxyEvents.rejected(rejected);
            }
            principal = ((SigV4Verifier.Verified) outcome).principal();
        }
        // the event's path is the resource path without the stage, as API Gateway gives it
        String eventPath = resolved.get().staged() ? path.substring(path.indexOf('/', 1) < 0 ? path.length()
            : path.indexOf('/', 1)) : path;
        if (eventPath.isEmpty()) {
            eventPath = "/";
        }
        String requestId = UUID.randomUUID().toString();
        ProxyEvents.Request request = new ProxyEvents.Request(method, eventPath, uri.getRawQuery(), headers, body,
            exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getProtocol(), clock.instant(),
            requestId, host);
        ObjectNode event = ProxyEvents.event(request, resolved.get(), principal);
        return integrate(resolved.get().route(), event);
    }

    private ProxyEvents.Response integrate(ApiRoute route, ObjectNode event) {
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Future<InvocationResult> call = integrations.submit(() -> route.function().invoke(payload));
        InvocationResult result;
        try {
            result = call.get(INTEGRATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the function goes on running, as on AWS; the caller gets API Gateway's timeout
            log.println("[api-gateway] " + route.method() + " " + route.resourcePath() + ": integration timed out");
            return ProxyEvents.endpointTimedOut();
        } catch (ExecutionException e) {
            log.println("[api-gateway] " + route.method() + " " + route.resourcePath() + ": " + e.getCause());
            return ProxyEvents.internalServerError();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProxyEvents.internalServerError();
        }
        if (result.failed()) {
            return ProxyEvents.internalServerError();
        }
        ProxyEvents.Response response = ProxyEvents.response(result.payload());
        if (response.status() == 502 && response.headers().containsKey("x-amzn-ErrorType")) {
            log.println("[api-gateway] " + route.method() + " " + route.resourcePath()
                + ": malformed Lambda proxy response: " + result.payloadText());
        }
        return response;
    }

    private static ProxyEvents.Response text(int status, String contentType, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(contentType));
        headers.put("Cache-Control", List.of("no-store"));
        return new ProxyEvents.Response(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private void send(HttpExchange exchange, ProxyEvents.Response response) throws IOException {
        var out = exchange.getResponseHeaders();
        response.headers().forEach((name, values) -> values.forEach(v -> out.add(name, v)));
        if (!out.containsKey("Content-Type")) {
            out.set("Content-Type", "application/json");
        }
        String requestId = UUID.randomUUID().toString();
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
