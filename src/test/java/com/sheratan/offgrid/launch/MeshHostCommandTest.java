package com.sheratan.offgrid.launch;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mesh-host host-a|host-b}: one host of the local mesh in its own process (bin/start-mesh.sh),
 * with the settings {@link Mesh} gives it, read from the same sources (.env included) as every role.
 */
class MeshHostCommandTest {
    @TempDir
    Path home;

    private final Http http = new Http();

    @Test
    void hostBIsDearerThanHostAWhenThePricesComeFromTheDotEnv() throws Exception {
        Files.writeString(home.resolve(".env"), "OFFGRID_HOST_PRICE_PER_MTOKEN_INFER=4.0\n"
                + "OFFGRID_HOST_PRICE_PER_GB_HOUR=2.0\nOFFGRID_HOST_PRICE_PER_GB_TRANSFER=0.8\n"
                + "OFFGRID_MESH_HOST_B_PRICE_FACTOR=2\n");
        int portA = Ports.free();
        int portB = Ports.free();
        try (AutoCloseable hostA = CommandLine.start(CommandLine.parse(new String[] {
                "mesh-host", "host-a", "--home", home.toString(), "--port", String.valueOf(portA)}));
             AutoCloseable hostB = CommandLine.start(CommandLine.parse(new String[] {
                "mesh-host", "host-b", "--home", home.toString(), "--port", String.valueOf(portB)}))) {
            JsonNode a = json(http.get("http://127.0.0.1:" + portA + "/announce"));
            JsonNode b = json(http.get("http://127.0.0.1:" + portB + "/announce"));
            assertEquals("host-a", a.get("node_id").asText());
            assertEquals("host-b", b.get("node_id").asText());
            assertEquals(4.0, a.at("/prices/per_mtoken_infer").asDouble());
            assertEquals(8.0, b.at("/prices/per_mtoken_infer").asDouble());
            assertEquals(4.0, b.at("/prices/per_gb_hour").asDouble());
            assertEquals(1.6, b.at("/prices/per_gb_transfer").asDouble());

            String quote = "/quote?type=compute&size=1&kind=echo";
            double quoteA = json(http.get("http://127.0.0.1:" + portA + quote)).get("quote").asDouble();
            double quoteB = json(http.get("http://127.0.0.1:" + portB + quote)).get("quote").asDouble();
            assertTrue(quoteA < quoteB, "host-a quotes " + quoteA + ", host-b " + quoteB + ": host-a must win the auction");
        }
    }

    @Test
    void onlyTheMeshsOwnHostsCanBeStarted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[] {"mesh-host", "host-c"}));
        assertTrue(e.getMessage().contains("host-a, host-b") && e.getMessage().contains("'host-c'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"mesh-host", "--port", "8082"}));
        assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[] {"mesh-host", "host-b", "--node-id", "host-z"}));
    }
}
