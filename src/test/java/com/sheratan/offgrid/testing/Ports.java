package com.sheratan.offgrid.testing;

import com.sheratan.offgrid.launch.MeshLayout;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Free loopback ports for tests, so test runs never collide with each other or a running mesh. */
public final class Ports {
    private Ports() {
    }

    public static int free() {
        try {
            return MeshLayout.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
