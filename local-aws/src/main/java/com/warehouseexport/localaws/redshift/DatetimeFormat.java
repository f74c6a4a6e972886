package com.warehouseexport.localaws.redshift;

/**
 * Translates Redshift datetime format strings (TO_CHAR, TO_DATE, TO_TIMESTAMP) to DuckDB's strftime/strptime
 * patterns. Covered: YYYY YY MM MON MONTH DD DDD DAY DY HH HH12 HH24 MI SS MS US AM PM TZ, the FM prefix and
 * double-quoted literal text; anything else is copied literally (as PostgreSQL does with unknown characters).
 * DuckDB cannot switch the case of month/day names per field, so an all-upper or all-lower name field turns the
 * whole result upper or lower case; names are not blank-padded to 9 characters as PostgreSQL pads them.
 */
final class DatetimeFormat {

    enum TextCase { AS_IS, UPPER, LOWER }

    record Translation(String pattern, TextCase textCase) {
    }

    private DatetimeFormat() {
    }

    /** A numeric TO_CHAR format (e.g. '999,999.00') rather than a datetime one. */
    static boolean isNumeric(String format) {
        String f = format.toUpperCase(java.util.Locale.ROOT);
        return (f.contains("9") || f.contains("0")) && !f.contains("HH");
    }

    static Translation toStrftime(String format) {
        return translate(format, true);
    }

    static String toStrptime(String format) {
        return translate(format, false).pattern();
    }

    private static Translation translate(String format, boolean formatting) {
        StringBuilder out = new StringBuilder();
        TextCase textCase = TextCase.AS_IS;
        boolean fillMode = false;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c == '"') {
                int end = format.indexOf('"', i + 1);
                String text = end < 0 ? format.substring(i + 1) : format.substring(i + 1, end);
                out.append(text.replace("%", "%%"));
                i = end < 0 ? format.length() : end + 1;
                continue;
            }
            String rest = format.substring(i);
            String upper = rest.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("FM")) {
                fillMode = true;
                i += 2;
                continue;
            }
            String pad = fillMode && formatting ? "-" : "";
            String[][] numeric = {
                {"YYYY", "%Y"}, {"YY", "%y"}, {"HH24", "%" + pad + "H"}, {"HH12", "%" + pad + "I"},
                {"HH", "%" + pad + "I"}, {"MI", "%M"}, {"SS", "%S"}, {"MS", "%g"}, {"US", "%f"},
                {"DDD", "%j"}, {"DD", "%" + pad + "d"}, {"MM", "%" + pad + "m"}, {"AM", "%p"}, {"PM", "%p"},
                {"TZ", "%Z"},
            };
            String[][] names = {{"MONTH", "%B"}, {"MON", "%b"}, {"DAY", "%A"}, {"DY", "%a"}};
            boolean matched = false;
            for (String[] name : names) {
                if (upper.startsWith(name[0])) {
                    String written = rest.substring(0, name[0].length());
                    if (written.equals(name[0])) {
                        textCase = TextCase.UPPER;
                    } else if (written.equals(name[0].toLowerCase(java.util.Locale.ROOT))) {
                        textCase = TextCase.LOWER;
                    }
                    out.append(name[1]);
                    i += name[0].length();
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                for (String[] field : numeric) {
                    if (upper.startsWith(field[0])) {
                        out.append(field[1]);
                        i += field[0].length();
                        matched = true;
                        break;
                    }
                }
            }
            if (!matched) {
                out.append(c == '%' ? "%%" : String.valueOf(c));
                i++;
            }
        }
        return new Translation(out.toString(), textCase);
    }
}
