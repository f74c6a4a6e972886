package com.warehouseexport.localruntime.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localruntime.AsyncInvoker;
import com.warehouseexport.localruntime.lambda.Invocable;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The template's {@code Schedule} events as EventBridge scheduled rules: each fires at its rate or cron times and
 * invokes its function asynchronously with EventBridge's "Scheduled Event" (or the event's constant Input).
 * A rate's first run is one period after start, as after creating the rule. {@code pollEvery}, when set,
 * replaces the period of every rate() schedule (to see things happen sooner locally); cron schedules keep their
 * times.
 */
public final class ScheduledRules implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Duration pollEvery;
    private final String region;
    private final String accountId;
    private final PrintStream log;
    private final ScheduledExecutorService timer;
    private final AsyncInvoker invoker;

    public ScheduledRules(Clock clock, Duration pollEvery, String region, String accountId, PrintStream log) {
        this.clock = clock;
        this.pollEvery = pollEvery;
        this.region = region;
        this.accountId = accountId;
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "schedule-timer");
            t.setDaemon(true);
            return t;
        });
        this.invoker = new AsyncInvoker("schedule", log);
    }

    /** Starts the rule unless it is disabled; returns the expression it runs on (for the start-up summary). */
    public String add(SamTemplate.ScheduleEvent rule, Invocable function) {
        ScheduleExpression expression = ScheduleExpression.parse(rule.expression());
        if (!rule.enabled()) {
            return "disabled";
        }
        ScheduleExpression effective = pollEvery != null && expression instanceof ScheduleExpression.Rate
            ? new ScheduleExpression.Rate(pollEvery) : expression;
        scheduleNext(rule, effective, function, clock.instant());
        return effective == expression ? rule.expression()
            : rule.expression() + ", run every " + ((ScheduleExpression.Rate) effective).period() + " (--poll-every)";
    }

    private void scheduleNext(SamTemplate.ScheduleEvent rule, ScheduleExpression expression, Invocable function,
                              Instant after) {
        Instant next = expression.nextAfter(after);
        if (next == null) {
            log.println("[" + rule.ruleName() + "] has no further fire time");
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), next).toMillis());
        try {
            timer.schedule(() -> {
                fire(rule, function, next);
                scheduleNext(rule, expression, function, next);
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // the timer is shut down: the runtime is stopping
        }
    }

    private void fire(SamTemplate.ScheduleEvent rule, Invocable function, Instant at) {
        try {
            byte[] payload = rule.input() != null ? JSON.writeValueAsBytes(rule.input())
                : JSON.writeValueAsBytes(scheduledEvent(rule.ruleArn(), at));
            invoker.deliverUnlessBusy(rule.ruleName(), function, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** EventBridge's Scheduled Event. */
    ObjectNode scheduledEvent(String ruleArn, Instant at) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", accountId);
        event.put("time", at.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", region);
        event.putArray("resources").add(ruleArn);
        event.putObject("detail");
        return event;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        invoker.close();
    }
}
