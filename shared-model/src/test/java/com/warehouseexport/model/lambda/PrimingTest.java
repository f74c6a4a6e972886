package com.warehouseexport.model.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrimingTest {
    @Test
    void everyStepRunsAndAFailingOneIsSkipped() {
        List<String> ran = new ArrayList<>();
        Priming priming = Priming.register("test", () -> ran.add("first"), () -> {
            throw new IllegalStateException("no such key");
        }, () -> ran.add("third"));
        int failed = priming.run();
        assertEquals(List.of("first", "third"), ran);
        assertEquals(1, failed, "the throwing step counts as failed, the others do not");
    }
}
