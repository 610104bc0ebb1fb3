package com.sheratan.offgrid.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line takes only the options a command uses; anything else is a usage error, never a setting. */
class CommandLineTest {

    @Test
    void eachCommandTakesItsOwnOptionsAndRefusesTheOthersByName() {
        assertEquals(Map.of("offgrid.host.port", "8090", "offgrid.host.node-id", "host-z", "offgrid.mode", "disabled"),
                CommandLine.parse(new String[] {"host", "--port", "8090", "--node-id", "host-z",
                    "--set", "offgrid.mode=disabled"}).overrides());
        assertEquals(Map.of("offgrid.auth-key", "s3cret"),
                CommandLine.parse(new String[] {"selfcheck", "--set", "offgrid.auth-key=s3cret"}).overrides());

        assertRefused("selfcheck does not take --port", "selfcheck", "--port", "9123");
        assertRefused("selfcheck does not take --home", "selfcheck", "--home", "/tmp/elsewhere");
        assertRefused("selfcheck does not take --node-id", "selfcheck", "--node-id", "host-z");
        assertRefused("core does not take --node-id", "core", "--node-id", "host-z");
        assertRefused("broker does not take --node-id", "broker", "--node-id", "host-z");
        assertRefused("mesh does not take --port", "mesh", "--port", "9123");
        assertRefused("mesh does not take --node-id", "--node-id", "host-z");
        assertRefused("unknown option '--colour'", "core", "--colour", "blue");
    }

    @Test
    void selfcheckWithAPortIsAUsageErrorAndRunsNothing() {
        assertEquals(2, CommandLine.run(new String[] {"selfcheck", "--port", "9123"}));
    }

    private static void assertRefused(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
