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
        // the product's logging backend (slf4j-simple's, writing JSON lines with OFFGRID_LOG_FORMAT=json);
        // chosen before the first logger is made
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "com.sheratan.offgrid.config.LogProvider");
            // without it SLF4J announces the choice on standard error, a line that is no JSON
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        int exit = CommandLine.run(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
