package com.warehouseexport.model.lambda;

import com.warehouseexport.model.aws.AwsClients;
import com.warehouseexport.model.json.Json;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: before Lambda snapshots an initialised function ({@code beforeCheckpoint}), run the code a
 * first request would run, so the classes are loaded and initialised in the snapshot instead of on the first
 * request after a restore. The steps are the function's own harmless calls (a 404, a read of a key that does not
 * exist); a failing step is logged and skipped: priming must never stop a snapshot.
 */
public final class Priming implements Resource {
    // org.crac may hold resources weakly: keep them here for the life of the JVM
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String function;
    private final List<Runnable> steps;

    private Priming(String function, List<Runnable> steps) {
        this.function = function;
        this.steps = steps;
    }

    /** Registers the steps to run before a checkpoint (after the JSON mapper and the SDK clients are warmed). */
    public static Priming register(String function, Runnable... steps) {
        Priming priming = new Priming(function, List.of(steps));
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /** Runs every registered priming now (what a checkpoint would trigger), for benchmarks and tests; returns how
     *  many steps threw (reads of things that do not exist may, by design). */
    public static int runRegistered() {
        int failed = 0;
        for (Priming priming : REGISTERED) {
            failed += priming.run();
        }
        return failed;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        run();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: clients resolve credentials and connections on use
    }

    /** Warms the mapper and the clients, then each step; returns how many steps failed. */
    public int run() {
        long started = System.nanoTime();
        int failed = 0;
        try {
            Json.write(Json.parse("{\"priming\":[1,2.5,true,null,\"x\"]}"));
            AwsClients.prime();
        } catch (RuntimeException e) {
            failed++;
            Log.warn("%s priming: warming the mapper and clients failed (ignored): %s", function, e);
        }
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failed++;
                Log.info("%s priming: a step failed (ignored): %s", function, e);
            }
        }
        Log.info("%s primed in %d ms (%d step(s) failed)", function, (System.nanoTime() - started) / 1_000_000,
                failed);
        return failed;
    }
}
