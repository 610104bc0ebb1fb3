package com.sheratan.offgrid;

import com.sheratan.offgrid.launch.CommandLine;

/** {@code java -jar sheratan-offgrid.jar [mesh|core|broker|host] [--port N] [--node-id X]}. */
public final class App {
    private App() {
    }

    public static void main(String[] args) {
        int exit = CommandLine.run(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
