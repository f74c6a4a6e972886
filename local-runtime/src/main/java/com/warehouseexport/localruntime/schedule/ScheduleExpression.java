package com.warehouseexport.localruntime.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression: {@code rate(value unit)} or {@code cron(six fields)}, evaluated in UTC as
 * EventBridge rules are.
 */
public sealed interface ScheduleExpression permits ScheduleExpression.Rate, CronExpression {

    /** The first fire time strictly after the given instant. */
    Instant nextAfter(Instant after);

    static ScheduleExpression parse(String expression) {
        String text = expression == null ? "" : expression.trim();
        if (text.startsWith("rate(") && text.endsWith(")")) {
            return Rate.parse(text.substring(5, text.length() - 1));
        }
        if (text.startsWith("cron(") && text.endsWith(")")) {
            return CronExpression.parse(text.substring(5, text.length() - 1));
        }
        throw new IllegalArgumentException("Parameter ScheduleExpression is not valid: " + expression);
    }

    /** rate(n minute|minutes|hour|hours|day|days): the singular exactly when n is 1, as EventBridge insists. */
    record Rate(Duration period) implements ScheduleExpression {
        private static final Pattern RATE = Pattern.compile("(\\d+) (minute|minutes|hour|hours|day|days)");

        static Rate parse(String body) {
            Matcher m = RATE.matcher(body.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("Parameter ScheduleExpression is not valid: rate(" + body + ")");
            }
            long value = Long.parseLong(m.group(1));
            String unit = m.group(2);
            boolean singular = !unit.endsWith("s");
            if (value <= 0 || singular != (value == 1)) {
                throw new IllegalArgumentException("Parameter ScheduleExpression is not valid: rate(" + body + ")");
            }
            ChronoUnit chronoUnit = unit.startsWith("minute") ? ChronoUnit.MINUTES
                : unit.startsWith("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
            return new Rate(Duration.of(value, chronoUnit));
        }

        @Override
        public Instant nextAfter(Instant after) {
            return after.plus(period);
        }
    }
}
