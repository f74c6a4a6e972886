package com.warehouseexport.localruntime.lambda;

/** Something that takes an event payload and answers like Lambda's Invoke (a function, or a test double). */
@FunctionalInterface
public interface Invocable {
    InvocationResult invoke(byte[] payload);
}
