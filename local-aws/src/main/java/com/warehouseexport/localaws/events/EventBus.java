package com.warehouseexport.localaws.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * In-process stand-in for the default EventBridge bus: events are published in EventBridge's envelope
 * (version, id, detail-type, source, account, time, region, resources, detail) and handed to every subscriber.
 */
public final class EventBus {
    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String account;
    private final String region;
    private final List<Consumer<ObjectNode>> subscribers = new CopyOnWriteArrayList<>();

    public EventBus(String account, String region) {
        this.account = account;
        this.region = region;
    }

    public String account() {
        return account;
    }

    public String region() {
        return region;
    }

    /** Registers a subscriber; returns a handle that unsubscribes it. */
    public AutoCloseable subscribe(Consumer<ObjectNode> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Wraps the detail in EventBridge's envelope and delivers it; a failing subscriber does not stop the rest. */
    public ObjectNode publish(String source, String detailType, List<String> resources, JsonNode detail) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", account);
        event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", region);
        resources.forEach(event.putArray("resources")::add);
        if (resources.isEmpty()) {
            event.putArray("resources");
        }
        event.set("detail", detail);
        for (Consumer<ObjectNode> subscriber : subscribers) {
            try {
                subscriber.accept(event.deepCopy());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event subscriber failed", e);
            }
        }
        return event;
    }
}
