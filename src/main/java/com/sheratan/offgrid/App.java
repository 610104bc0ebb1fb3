package com.sheratan.offgrid;

import com.sheratan.offgrid.launch.CommandLine;

/** {@code java -jar sheratan-offgrid.jar [mesh|core|broker|host] [--port N] [--node-id X]}. */
public final class App {
    private App() {
    }

    public static void main(String[] args) {
        // On a 2-core machine the common pool has parallelism 1, and CompletableFuture then starts a
        // new thread for every async stage (the JDK HTTP client uses them for each request).
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
                    String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
        }
        int exit = CommandLine.run(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
