package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.launch.Role;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.testing.RoleTest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * A real broker booted by Camel's test kit for each test, started by the test once it has said which
 * stand-in hosts the discovery file lists ({@link #start(StandInHost...)}), with the signed calls a core makes.
 */
abstract class BrokerRoleTest extends RoleTest {
    final RequestSigner signer = new RequestSigner(AuthKeys.parse(AuthKeys.DEVELOPMENT_SECRET, "", "default"));

    @Override
    protected Role role() {
        return Role.BROKER;
    }

    @Override
    protected Map<String, String> settings() {
        return BrokerUnderTest.TEST_SETTINGS;
    }

    @Override
    protected boolean startsBeforeEachTest() {
        return false;
    }

    /** Lists the hosts in discovery/mesh_hosts.json, then starts the broker. */
    void start(StandInHost... hosts) {
        BrokerUnderTest.writeDiscovery(home, hosts);
        startRole();
    }

    HttpResponse<String> auction(String body) {
        return BrokerUnderTest.auction(http, signer, url("/auction"), body);
    }

    HttpResponse<String> get(String path) {
        return http.get(url(path));
    }
}
