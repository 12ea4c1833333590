package io.plsim.app.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(10), Units.duration("10s"));
        assertEquals(Duration.ofSeconds(10), Units.duration("10"));
        assertEquals(Duration.ofMillis(500), Units.duration("500ms"));
        assertEquals(Duration.ofMillis(1500), Units.duration("1.5s"));
        assertEquals(Duration.ofMinutes(2), Units.duration("2m"));
        assertEquals(Duration.ofHours(1), Units.duration("1h"));
        assertThrows(IllegalArgumentException.class, () -> Units.duration("-1s"));
        assertThrows(IllegalArgumentException.class, () -> Units.duration("10 parsecs"));
        assertEquals("10s", Units.format(Duration.ofSeconds(10)));
        assertEquals("250ms", Units.format(Duration.ofMillis(250)));
    }

    @Test
    void rates() {
        assertEquals(500, Units.rate("500/s"));
        assertEquals(500, Units.rate("500"));
        assertEquals(12.5, Units.rate("12.5/s"));
        assertEquals(0, Units.rate("max"));
        assertThrows(IllegalArgumentException.class, () -> Units.rate("0"));
        assertThrows(IllegalArgumentException.class, () -> Units.rate("500/m"));
        assertEquals("500/s", Units.formatRate(500));
        assertEquals("max", Units.formatRate(0));
    }

    @Test
    void sizes() {
        assertEquals(64, Units.size("64"));
        assertEquals(16 * 1024, Units.size("16k"));
        assertEquals(8L << 20, Units.size("8m"));
        assertEquals(8L << 20, Units.size("8MiB"));
        assertEquals(1L << 30, Units.size("1g"));
        assertThrows(IllegalArgumentException.class, () -> Units.size("lots"));
        assertThrows(IllegalArgumentException.class, () -> Units.size("99999999999999999999"));
        assertEquals("8 MiB", Units.formatSize(8L << 20));
        assertEquals("100 B", Units.formatSize(100));
    }

    @Test
    void dnsQueryAndAnswer() throws Exception {
        byte[] q = DnsLookup.query(0x1234, "a.example");
        // header 12 + 1 "a" 1 + 7 "example" 1 + 1 root + type 2 + class 2
        assertEquals(12 + 2 + 8 + 1 + 4, q.length);
        ByteBuffer answer = ByteBuffer.allocate(64);
        answer.putShort((short) 0x1234).putShort((short) 0x8180).putShort((short) 1).putShort((short) 1)
                .putShort((short) 0).putShort((short) 0);
        answer.put(q, 12, q.length - 12);
        answer.putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4)
                .put(new byte[] {127, 2, 3, 4});
        answer.flip();
        assertEquals("127.2.3.4", DnsLookup.parse(answer, "a.example").get(0).getHostAddress());
        ByteBuffer nx = ByteBuffer.allocate(12);
        nx.putShort((short) 0x1234).putShort((short) 0x8183).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).flip();
        DnsLookup.DnsException e = assertThrows(DnsLookup.DnsException.class, () -> DnsLookup.parse(nx, "a.example"));
        assertEquals(true, e.getMessage().contains("NXDOMAIN"));
    }
}
