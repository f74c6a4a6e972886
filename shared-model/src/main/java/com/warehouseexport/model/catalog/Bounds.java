package com.warehouseexport.model.catalog;

final class Bounds {
    private Bounds() {
    }

    static String describe(Object min, Object max) {
        if (min != null && max != null) {
            return " between " + min + " and " + max;
        }
        if (min != null) {
            return " of at least " + min;
        }
        if (max != null) {
            return " of at most " + max;
        }
        return "";
    }
}
