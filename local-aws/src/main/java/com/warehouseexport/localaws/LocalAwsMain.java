package com.warehouseexport.localaws;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Runs the emulated AWS on its own: {@code java -cp … LocalAwsMain [data-dir]}; Ctrl-C stops it. */
public final class LocalAwsMain {
    private LocalAwsMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalAws aws = LocalAws.builder().dataDir(args.length > 0 ? Path.of(args[0]) : null).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            aws.close();
            stopped.countDown();
        }, "local-aws-shutdown"));
        aws.endpoints().asEnvironment().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
            .forEach(e -> System.out.println(e.getKey() + "=" + e.getValue()));
        System.out.printf("credentials: %s / %s, region %s%n", LocalAws.ACCESS_KEY, LocalAws.SECRET_KEY, aws.region());
        System.out.printf("local-aws ready in %d ms%n", aws.startupTime().toMillis());
        stopped.await();
    }
}
