package com.warehouseexport.localruntime.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * EventBridge's six-field cron: minutes, hours, day-of-month, month, day-of-week, year; in UTC. Fields take
 * {@code * , - /}; day-of-month also {@code ? L W} ({@code 15W}, {@code LW}); day-of-week also {@code ? L #}
 * ({@code 6L}, {@code 2#1}), with 1 = SUN … 7 = SAT or SUN–SAT; months 1–12 or JAN–DEC. Exactly one of
 * day-of-month and day-of-week is {@code ?}.
 */
public final class CronExpression implements ScheduleExpression {
    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
        Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
        Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS = Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5,
        "FRI", 6, "SAT", 7);
    private static final int MIN_YEAR = 1970;
    private static final int MAX_YEAR = 2199;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet months;
    private final BitSet years;
    private final DayOfMonth dayOfMonth; // null when '?'
    private final DayOfWeekSpec dayOfWeek; // null when '?'

    private CronExpression(String text, BitSet minutes, BitSet hours, BitSet months, BitSet years,
                           DayOfMonth dayOfMonth, DayOfWeekSpec dayOfWeek) {
        this.text = text;
        this.minutes = minutes;
        this.hours = hours;
        this.months = months;
        this.years = years;
        this.dayOfMonth = dayOfMonth;
        this.dayOfWeek = dayOfWeek;
    }

    public static CronExpression parse(String body) {
        String[] fields = body.trim().split("\\s+");
        if (fields.length != 6) {
            throw invalid(body);
        }
        try {
            BitSet minutes = field(fields[0], 0, 59, Map.of());
            BitSet hours = field(fields[1], 0, 23, Map.of());
            BitSet months = field(fields[3], 1, 12, MONTHS);
            BitSet years = field(fields[5], MIN_YEAR, MAX_YEAR, Map.of());
            boolean domAny = fields[2].equals("?");
            boolean dowAny = fields[4].equals("?");
            if (domAny == dowAny) {
                // one of the two, and only one, must be '?'
                throw invalid(body);
            }
            DayOfMonth dom = domAny ? null : DayOfMonth.parse(fields[2]);
            DayOfWeekSpec dow = dowAny ? null : DayOfWeekSpec.parse(fields[4]);
            return new CronExpression("cron(" + body.trim() + ")", minutes, hours, months, years, dom, dow);
        } catch (IllegalArgumentException e) {
            throw invalid(body);
        }
    }

    private static IllegalArgumentException invalid(String body) {
        return new IllegalArgumentException("Parameter ScheduleExpression is not valid: cron(" + body + ")");
    }

    @Override
    public Instant nextAfter(Instant after) {
        LocalDateTime start = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES)
            .plusMinutes(1);
        LocalDate day = start.toLocalDate();
        while (day.getYear() <= MAX_YEAR) {
            if (!years.get(day.getYear())) {
                int nextYear = years.nextSetBit(day.getYear() + 1);
                if (nextYear < 0) {
                    break;
                }
                day = LocalDate.of(nextYear, 1, 1);
                continue;
            }
            if (!months.get(day.getMonthValue())) {
                day = day.withDayOfMonth(1).plusMonths(1);
                continue;
            }
            if (dayMatches(day)) {
                int fromHour = day.equals(start.toLocalDate()) ? start.getHour() : 0;
                for (int hour = hours.nextSetBit(fromHour); hour >= 0; hour = hours.nextSetBit(hour + 1)) {
                    int fromMinute = day.equals(start.toLocalDate()) && hour == start.getHour() ? start.getMinute() : 0;
                    int minute = minutes.nextSetBit(fromMinute);
                    if (minute >= 0) {
                        return day.atTime(hour, minute).toInstant(ZoneOffset.UTC);
                    }
                }
            }
            day = day.plusDays(1);
        }
        return null;
    }

    private boolean dayMatches(LocalDate day) {
        return dayOfMonth != null ? dayOfMonth.matches(day) : dayOfWeek.matches(day);
    }

    @Override
    public String toString() {
        return text;
    }

    /** A field of values, ranges, steps and lists, as the set of the values it allows. */
    private static BitSet field(String text, int min, int max, Map<String, Integer> names) {
        BitSet values = new BitSet(max + 1);
        for (String part : text.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = Integer.parseInt(part.substring(slash + 1));
                range = part.substring(0, slash);
                if (step <= 0) {
                    throw new IllegalArgumentException("step");
                }
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] bounds = range.split("-", 2);
                from = value(bounds[0], names);
                to = value(bounds[1], names);
            } else {
                from = value(range, names);
                to = slash >= 0 ? max : from; // "5/10" means from 5 every 10
            }
            if (from < min || to > max || from > to) {
                throw new IllegalArgumentException("range");
            }
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
        }
        return values;
    }

    private static int value(String text, Map<String, Integer> names) {
        Integer named = names.get(text.toUpperCase(Locale.ROOT));
        return named != null ? named : Integer.parseInt(text);
    }

    /** Day-of-month: values/ranges/steps, L (last day), nW (weekday nearest n), LW (last weekday). */
    private record DayOfMonth(BitSet days, boolean last, boolean lastWeekday, List<Integer> nearestWeekday) {
        static DayOfMonth parse(String text) {
            BitSet days = new BitSet(32);
            boolean last = false;
            boolean lastWeekday = false;
            List<Integer> nearest = new ArrayList<>();
            for (String part : text.split(",")) {
                if (part.equals("L")) {
                    last = true;
                } else if (part.equals("LW")) {
                    lastWeekday = true;
                } else if (part.endsWith("W")) {
                    int day = Integer.parseInt(part.substring(0, part.length() - 1));
                    if (day < 1 || day > 31) {
                        throw new IllegalArgumentException("W");
                    }
                    nearest.add(day);
                } else {
                    days.or(field(part, 1, 31, Map.of()));
                }
            }
            return new DayOfMonth(days, last, lastWeekday, nearest);
        }

        boolean matches(LocalDate day) {
            int length = day.lengthOfMonth();
            if (days.get(day.getDayOfMonth()) || last && day.getDayOfMonth() == length) {
                return true;
            }
            if (lastWeekday && day.equals(weekdayOnOrBefore(day.withDayOfMonth(length)))) {
                return true;
            }
            for (int target : nearestWeekday) {
                if (target <= length && day.equals(weekdayNearest(day.withDayOfMonth(target)))) {
                    return true;
                }
            }
            return false;
        }

        private static LocalDate weekdayOnOrBefore(LocalDate day) {
            LocalDate d = day;
            while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
                d = d.minusDays(1);
            }
            return d;
        }

        /** The weekday nearest the target, never leaving its month (Quartz's W). */
        private static LocalDate weekdayNearest(LocalDate target) {
            if (target.getDayOfWeek() == DayOfWeek.SATURDAY) {
                return target.getDayOfMonth() == 1 ? target.plusDays(2) : target.minusDays(1);
            }
            if (target.getDayOfWeek() == DayOfWeek.SUNDAY) {
                return target.getDayOfMonth() == target.lengthOfMonth() ? target.minusDays(2) : target.plusDays(1);
            }
            return target;
        }
    }

    /** Day-of-week (1 = SUN … 7 = SAT): values/ranges/steps/names, nL (last n of the month), n#k (k-th n). */
    private record DayOfWeekSpec(BitSet days, List<Integer> lastOfMonth, List<int[]> nth) {
        static DayOfWeekSpec parse(String text) {
            BitSet days = new BitSet(8);
            List<Integer> last = new ArrayList<>();
            List<int[]> nth = new ArrayList<>();
            for (String part : text.split(",")) {
                if (part.equals("L")) {
                    days.set(7);
                } else if (part.endsWith("L")) {
                    last.add(checkDay(value(part.substring(0, part.length() - 1), DAYS)));
                } else if (part.contains("#")) {
                    String[] pieces = part.split("#");
                    int k = Integer.parseInt(pieces[1]);
                    if (k < 1 || k > 5) {
                        throw new IllegalArgumentException("#");
                    }
                    nth.add(new int[] {checkDay(value(pieces[0], DAYS)), k});
                } else {
                    days.or(field(part, 1, 7, DAYS));
                }
            }
            return new DayOfWeekSpec(days, last, nth);
        }

        private static int checkDay(int day) {
            if (day < 1 || day > 7) {
                throw new IllegalArgumentException("day of week");
            }
            return day;
        }

        boolean matches(LocalDate day) {
            int cronDay = day.getDayOfWeek().getValue() % 7 + 1; // MONDAY=1 → 2, SUNDAY=7 → 1
            if (days.get(cronDay)) {
                return true;
            }
            for (int target : lastOfMonth) {
                if (cronDay == target && day.plusWeeks(1).getMonthValue() != day.getMonthValue()) {
                    return true;
                }
            }
            for (int[] nthDay : nth) {
                if (cronDay == nthDay[0] && (day.getDayOfMonth() - 1) / 7 + 1 == nthDay[1]) {
                    return true;
                }
            }
            return false;
        }
    }
}
