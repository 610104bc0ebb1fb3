package com.sheratan.offgrid.broker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.testing.TestRoles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerSettingsTest {
    @TempDir
    Path home;

    @Test
    void aNonsenseTimeoutStopsTheBrokerWithAnErrorNamingTheSetting() {
        try (TestRoles roles = new TestRoles(home)) {
            RoleStartException e = assertThrows(RoleStartException.class,
                    () -> roles.broker(Map.of("offgrid.broker.quote-timeout-ms", "0")));
            assertTrue(e.getMessage().contains("offgrid.broker.quote-timeout-ms"), e.getMessage());
            RoleStartException notANumber = assertThrows(RoleStartException.class,
                    () -> roles.broker(Map.of("offgrid.broker.redundancy", "two")));
            assertTrue(notANumber.getMessage().contains("offgrid.broker.redundancy"), notANumber.getMessage());
        }
    }

    @Test
    void aTimerPeriodThatIsNotPositiveStopsTheBrokerWithAnErrorNamingTheSetting() {
        try (TestRoles roles = new TestRoles(home)) {
            for (String key : List.of("offgrid.broker.health-interval-ms", "offgrid.broker.reputation-flush-ms")) {
                for (String value : List.of("0", "-5")) {
                    RoleStartException e = assertThrows(RoleStartException.class, () -> roles.broker(Map.of(key, value)),
                            key + "=" + value + " started a broker whose timer fires once");
                    assertTrue(e.getMessage().contains(key), e.getMessage());
                }
            }
        }
    }
}
