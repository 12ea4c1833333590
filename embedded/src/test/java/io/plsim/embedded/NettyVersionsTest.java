package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.Version;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The class path check against a class loader that also holds a Netty 4.1 jar, as a consumer's
 * does when the AWS SDK's netty-nio-client wins for some Netty artifacts.
 */
class NettyVersionsTest {

    private static final Path NETTY_41 = Path.of(System.getProperty("user.home"),
            ".m2/repository/io/netty/netty-transport/4.1.138.Final/netty-transport-4.1.138.Final.jar");

    @Test
    void builtVersionIsTheOneThisBuildRunsWith() {
        assertEquals(Version.identify().get("netty-handler").artifactVersion(), NettyVersions.builtVersion());
        assertTrue(NettyVersions.builtVersion().startsWith("4.2."), NettyVersions.builtVersion());
    }

    @Test
    void thisBuildsClassPathIsConsistent() {
        NettyVersions v = NettyVersions.of(getClass().getClassLoader());
        assertEquals(java.util.Map.of(), v.mismatch());
        assertDoesNotThrow(v::requireConsistent);
    }

    @Test
    void aNetty41JarOnTheClassPathIsNamedWithTheWaysOut() throws Exception {
        assertTrue(Files.isRegularFile(NETTY_41), "the test needs " + NETTY_41
                + " (mvn dependency:get -Dartifact=io.netty:netty-transport:4.1.138.Final)");
        try (URLClassLoader mixed = new URLClassLoader(new URL[] {NETTY_41.toUri().toURL()},
                getClass().getClassLoader())) {
            NettyVersions v = NettyVersions.of(mixed);
            assertEquals(java.util.Map.of("netty-transport", "4.1.138.Final"), v.mismatch());
            PlsimException e = assertThrows(PlsimException.class, v::requireConsistent);
            assertTrue(e.getMessage().contains("netty-transport 4.1.138.Final"), e.getMessage());
            assertTrue(e.getMessage().contains("io.netty:netty-bom:" + NettyVersions.builtVersion()), e.getMessage());
            assertTrue(e.getMessage().contains("exclude software.amazon.awssdk:netty-nio-client"), e.getMessage());
        }
    }
}
