package io.plsim.dataplane.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.model.Fault;
import io.plsim.core.model.Fault.Location;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fault table's questions, asked of places described as the data plane describes them: which
 * kind of fault is judged on which part of a place.
 */
class FaultTableTest {

    private static final String NODE = "127.160.1.10";
    private static final Location NODE_AZ1 = Location.ofNode("use1-az1", NODE);
    private static final Location TARGET_AZ1 = Location.ofTarget("use1-az1", "127.0.0.1:9001");
    private static final Location IFACE_A = Location.ofInterface("use1-az1", "vpce-0aaaaaaaaaaaaaaa1", "127.160.130.5",
            NODE);
    private static final Location IFACE_B = Location.ofInterface("use1-az1", "vpce-0bbbbbbbbbbbbbbb2", "127.160.130.6",
            NODE);

    private static FaultTable with(String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            fields.put(p.substring(0, eq), p.substring(eq + 1));
        }
        FaultTable table = new FaultTable(1);
        table.add(Fault.parse(fields), Instant.EPOCH);
        return table;
    }

    @Test
    void atMostTenThousandFaultsAreInForce() {
        FaultTable t = new FaultTable(1);
        Fault f = Fault.parse(Map.of("fault", "latency", "latency", "1", "endpoint", "vpce-0aaaaaaaaaaaaaaa1"));
        for (int i = 0; i < FaultTable.MAX_FAULTS; i++) {
            t.add(f, Instant.EPOCH);
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> t.add(f, Instant.EPOCH));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("10000 faults are in force"), e.getMessage());
    }

    @Test
    void aNodeThatIsDownIsDownForEverythingItCarries() {
        // Narrowed to one endpoint, node-down holds only that endpoint's new connections silent,
        // but the node's health checks fail and every flow through it stalls.
        FaultTable t = with("fault=node-down", "node=" + NODE, "endpoint=vpce-0aaaaaaaaaaaaaaa1");
        assertEquals(new Refusal("fault-node-down", true), t.admission(IFACE_A));
        assertNull(t.admission(IFACE_B));
        assertTrue(t.nodeDown(NODE_AZ1));
        assertTrue(t.healthCheckFails(NODE_AZ1, TARGET_AZ1));
        assertTrue(t.stalled(IFACE_B.withTarget("127.0.0.1:9001"), TARGET_AZ1));
        assertFalse(t.nodeDown(Location.ofNode("use1-az2", "127.160.2.10")));
    }

    @Test
    void anOutageIsJudgedOnTheZoneOfEachPart() {
        FaultTable t = with("fault=az-outage", "az=use1-az2");
        Location targetAz2 = Location.ofTarget("use1-az2", "127.0.0.1:9002");
        assertNull(t.admission(IFACE_A));
        assertTrue(t.unreachable(targetAz2));
        assertFalse(t.unreachable(TARGET_AZ1));
        assertTrue(t.stalled(IFACE_A.withTarget("127.0.0.1:9002"), targetAz2));
        assertFalse(t.stalled(IFACE_A.withTarget("127.0.0.1:9001"), TARGET_AZ1));
        assertTrue(t.healthCheckFails(NODE_AZ1, targetAz2));
        assertFalse(t.nodeDown(NODE_AZ1));
    }

    @Test
    void refuseFirstNCountsOnlyTheConnectionsItMatches() {
        FaultTable t = with("fault=refuse-first-n", "count=1", "endpoint=vpce-0aaaaaaaaaaaaaaa1");
        assertNull(t.admission(IFACE_B));
        assertEquals(new Refusal("fault-refuse-first-n", false), t.admission(IFACE_A));
        assertNull(t.admission(IFACE_A));
        assertEquals(1, t.list().get(0).hits());
    }
}
