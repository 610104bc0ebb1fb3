package com.sheratan.offgrid.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The score of SPEC section 7, term by term, and the ranking with its tie-break. */
class AuctionScorerTest {
    private final AuctionScorer scorer = new AuctionScorer();

    @Test
    void scoreIsQuoteTimesFailurePenaltyTimesViaWeightPlusLatencyTerm() {
        assertEquals(0.1, scorer.score(0.1, 0, null, 0), 1e-12);
        assertEquals(0.1 + 0.05, scorer.score(0.1, 0, "udp", 5000), 1e-12);
        assertEquals(2.0 * 1.15 * 1.1 + 0.01 * 1.5, scorer.score(2.0, 3, "lora", 1500), 1e-12);
        assertEquals(1.0 * 1.05, scorer.score(1.0, 1, "udp", 0), 1e-12);
    }

    @Test
    void viaWeightsAsSpecifiedUnknownCountsAsUdp() {
        assertEquals(1.0, AuctionScorer.viaWeight("udp"));
        assertEquals(1.05, AuctionScorer.viaWeight("ble"));
        assertEquals(1.1, AuctionScorer.viaWeight("lora"));
        assertEquals(1.2, AuctionScorer.viaWeight("file"));
        assertEquals(1.2, AuctionScorer.viaWeight(" FILE "));
        assertEquals(1.0, AuctionScorer.viaWeight("carrier-pigeon"));
        assertEquals(1.0, AuctionScorer.viaWeight(null));
    }

    @Test
    void aDearerButCloserRouteCanWin() {
        // 1.0 over file (1.2) loses to 1.15 over udp
        double overFile = scorer.score(1.0, 0, "file", 5000);
        double overUdp = scorer.score(1.15, 0, "udp", 5000);
        List<Bid> ranked = scorer.rank(List.of(new Bid("http://f", "f", 1.0, overFile), new Bid("http://u", "u", 1.15, overUdp)));
        assertEquals("u", ranked.get(0).nodeId());
    }

    @Test
    void lowestScoreFirstTiesBrokenByNodeId() {
        List<Bid> ranked = scorer.rank(List.of(
                new Bid("http://h1", "host-c", 0.2, 0.25),
                new Bid("http://h2", "host-b", 0.2, 0.25),
                new Bid("http://h3", "host-z", 0.1, 0.15),
                new Bid("http://h4", "host-a", 0.3, 0.35)));
        assertEquals(List.of("host-z", "host-b", "host-c", "host-a"), ranked.stream().map(Bid::nodeId).toList());
    }

    @Test
    void recentFailuresPushAHostDown() {
        double clean = scorer.score(0.10, 0, "udp", 5000);
        double flaky = scorer.score(0.09, 3, "udp", 5000); // 0.09 x 1.15 = 0.1035
        List<Bid> ranked = scorer.rank(List.of(new Bid("http://f", "flaky", 0.09, flaky), new Bid("http://c", "clean", 0.10, clean)));
        assertEquals("clean", ranked.get(0).nodeId());
    }
}
