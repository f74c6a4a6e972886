package com.warehouseexport.localaws.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One loopback HTTP endpoint for the project's own emulated services. Requests are routed by
 * {@code X-Amz-Target} (AWS JSON 1.1) or by the {@code Action} form field (query protocol). Signatures are not
 * checked here: these services only ever run on the developer's own machine.
 */
public final class LocalEndpointServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalEndpointServer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Without TCP_NODELAY every request waits ~40 ms (Nagle's algorithm meets delayed ACK). The JDK server reads
        // this property once, when its first server is created, so it must be set before that.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, JsonProtocolService> jsonServices = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, QueryProtocolService> queryServices = new HashMap<>();

    private LocalEndpointServer(HttpServer server, ExecutorService executor,
                                List<JsonProtocolService> json, List<QueryProtocolService> query) {
        this.server = server;
        this.executor = executor;
        json.forEach(s -> jsonServices.put(s.targetPrefix(), s));
        query.forEach(s -> s.actions().forEach(a -> queryServices.put(a, s)));
    }

    /** Starts on 127.0.0.1; port 0 picks a free one. */
    public static LocalEndpointServer start(int port, List<JsonProtocolService> json,
                                            List<QueryProtocolService> query) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "local-aws-endpoint-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        LocalEndpointServer s = new LocalEndpointServer(http, executor, json, query);
        http.createContext("/", s::serve);
        http.start();
        return s;
    }

    /** Adds a service after start, for services that need the other endpoints first. */
    public synchronized void register(JsonProtocolService service) {
        jsonServices.put(service.targetPrefix(), service);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null) {
                serveJson(exchange, target, body);
            } else {
                serveQuery(exchange, body);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "local endpoint failed", e);
        }
    }

    private void serveJson(HttpExchange exchange, String target, byte[] body) throws IOException {
        int dot = target.lastIndexOf('.');
        JsonProtocolService service = dot < 0 ? null : jsonServices.get(target.substring(0, dot));
        try {
            if (service == null) {
                throw new AwsServiceException(400, "UnknownOperationException", "Unknown target " + target);
            }
            JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            JsonNode response = service.handle(target.substring(dot + 1), request);
            send(exchange, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(response), null);
        } catch (AwsServiceException e) {
            ObjectNode error = JSON.createObjectNode().put("__type", e.code()).put("message", e.getMessage());
            send(exchange, e.status(), "application/x-amz-json-1.1", JSON.writeValueAsBytes(error), e.code());
        } catch (IOException e) {
            ObjectNode error = JSON.createObjectNode().put("__type", "SerializationException")
                .put("message", "Request body is not valid JSON");
            send(exchange, 400, "application/x-amz-json-1.1", JSON.writeValueAsBytes(error), "SerializationException");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "internal error in " + target, e);
            ObjectNode error = JSON.createObjectNode().put("__type", "InternalServerException")
                .put("message", String.valueOf(e.getMessage()));
            send(exchange, 500, "application/x-amz-json-1.1", JSON.writeValueAsBytes(error), "InternalServerException");
        }
    }

    private void serveQuery(HttpExchange exchange, byte[] body) throws IOException {
        Map<String, String> params = parseForm(new String(body, StandardCharsets.UTF_8));
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (rawQuery != null) {
            parseForm(rawQuery).forEach(params::putIfAbsent);
        }
        String action = params.getOrDefault("Action", "");
        QueryProtocolService service = queryServices.get(action);
        String namespace = service == null ? "" : service.xmlNamespace();
        String requestId = UUID.randomUUID().toString();
        try {
            if (service == null) {
                throw new AwsServiceException(400, "InvalidAction", "The action " + action + " is not valid");
            }
            String result = service.handle(action, params);
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"" + namespace
                + "\"><" + action + "Result>" + result + "</" + action + "Result><ResponseMetadata><RequestId>"
                + requestId + "</RequestId></ResponseMetadata></" + action + "Response>";
            send(exchange, 200, "text/xml", xml.getBytes(StandardCharsets.UTF_8), null);
        } catch (AwsServiceException e) {
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"" + namespace
                + "\"><Error><Type>" + (e.senderFault() ? "Sender" : "Receiver") + "</Type><Code>" + e.code()
                + "</Code><Message>" + Xml.escape(e.getMessage()) + "</Message></Error><RequestId>" + requestId
                + "</RequestId></ErrorResponse>";
            send(exchange, e.status(), "text/xml", xml.getBytes(StandardCharsets.UTF_8), null);
        } catch (RuntimeException e) {
            // Without an answer the client sees a dropped connection and retries the (maybe done) action.
            LOG.log(Level.WARNING, "internal error in " + action, e);
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"" + namespace
                + "\"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>"
                + Xml.escape(String.valueOf(e.getMessage())) + "</Message></Error><RequestId>" + requestId
                + "</RequestId></ErrorResponse>";
            send(exchange, 500, "text/xml", xml.getBytes(StandardCharsets.UTF_8), null);
        }
    }

    private static Map<String, String> parseForm(String form) {
        Map<String, String> params = new LinkedHashMap<>();
        if (form.isEmpty()) {
            return params;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body, String errorType)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (errorType != null) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
