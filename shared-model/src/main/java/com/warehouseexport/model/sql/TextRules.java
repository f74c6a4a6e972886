package com.warehouseexport.model.sql;

/**
 * Which characters a string parameter may contain: printable Unicode only. Rejected: control characters
 * (NUL, tab, newline …), format characters (zero-width, bidi overrides), unpaired surrogates (invalid
 * UTF-16, which cannot be encoded as UTF-8), private-use and unassigned code points, line/paragraph
 * separators. Validation and SQL literal rendering share this rule.
 */
public final class TextRules {
    private TextRules() {
    }

    /** Index (in chars) of the first forbidden code point, or -1 when the whole text is acceptable. */
    public static int firstForbidden(String text) {
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            if (!isAllowed(codePoint)) {
                return i;
            }
            i += Character.charCount(codePoint);
        }
        return -1;
    }

    public static boolean isAllowed(int codePoint) {
        if (codePoint >= 0x20 && codePoint < 0x7F) {
            return true; // printable ASCII, the common case
        }
        switch (Character.getType(codePoint)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    /** "U+0000" style, for error messages. */
    public static String describe(int codePoint) {
        return String.format("U+%04X", codePoint);
    }
}
