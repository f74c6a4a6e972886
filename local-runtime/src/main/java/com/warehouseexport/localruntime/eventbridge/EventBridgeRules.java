package com.warehouseexport.localruntime.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.events.EventBus;
import com.warehouseexport.localruntime.AsyncInvoker;
import com.warehouseexport.localruntime.lambda.Invocable;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The template's {@code EventBridgeRule} events on the local default event bus: every event published on the
 * {@link EventBus} is matched against each rule's pattern, and a match invokes the rule's function asynchronously
 * with the EventBridge envelope (or its Input / InputPath).
 */
public final class EventBridgeRules implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Rule(SamTemplate.EventBridgeRuleEvent definition, EventPattern pattern, Invocable function) {
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AutoCloseable subscription;
    private final AsyncInvoker invoker;
    private final PrintStream log;

    public EventBridgeRules(EventBus bus, PrintStream log) {
        this.log = log;
        this.invoker = new AsyncInvoker("eventbridge", log);
        this.subscription = bus.subscribe(this::onEvent);
    }

    /** Adds a rule; returns false (and logs why) when it cannot match anything locally. */
    public boolean add(SamTemplate.EventBridgeRuleEvent rule, Invocable function) {
        if (!rule.enabled()) {
            return false;
        }
        if (!rule.eventBusName().equals("default")) {
            log.println("[" + rule.ruleName() + "] listens on event bus " + rule.eventBusName()
                + "; only the default bus exists locally");
            return false;
        }
        rules.add(new Rule(rule, EventPattern.of(rule.pattern()), function));
        return true;
    }

    private void onEvent(ObjectNode event) {
        for (Rule rule : rules) {
            if (rule.pattern().matches(event)) {
                SamTemplate.EventBridgeRuleEvent definition = rule.definition();
                invoker.deliver(definition.ruleName(), rule.function(), payload(definition, event));
            }
        }
    }

    static byte[] payload(SamTemplate.EventBridgeRuleEvent rule, JsonNode event) {
        try {
            if (rule.input() != null) {
                return JSON.writeValueAsBytes(rule.input());
            }
            if (rule.inputPath() != null) {
                return JSON.writeValueAsBytes(select(event, rule.inputPath()));
            }
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSONPath of the form $ or $.a.b (what InputPath takes in practice). */
    static JsonNode select(JsonNode event, String path) {
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("InputPath must start with $: " + path);
        }
        JsonNode node = event;
        for (String part : path.substring(1).split("\\.")) {
            if (!part.isEmpty()) {
                node = node.path(part);
            }
        }
        return node.isMissingNode() ? JSON.nullNode() : node;
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            // unsubscribing from an in-memory list cannot fail in a way that matters
        }
        invoker.close();
    }
}
