package com.warehouseexport.benchmarks.child;

/** Loaded only after the first event: its line in the class-load log separates cold from warm loading. */
final class FirstEventDone {
    private FirstEventDone() {
    }

    static void mark() {
        // loading and initialising the class is the whole point
    }
}
