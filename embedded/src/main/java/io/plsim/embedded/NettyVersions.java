package io.plsim.embedded;

import io.netty.util.Version;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Netty artifacts on a class path against the Netty release plsim was built with. A build that
 * also pulls an older Netty (the AWS SDK's {@code netty-nio-client} brings 4.1) mixes two releases:
 * the native transports then fail to load and the data plane falls back to NIO without a word, so
 * a world refuses to start on a mixed class path instead.
 *
 * @param built    the release plsim was built with, from its build
 * @param mismatch each Netty artifact on the class path at another release, with that release;
 *                 empty when the class path is consistent
 */
record NettyVersions(String built, Map<String, String> mismatch) {

    NettyVersions {
        mismatch = Map.copyOf(mismatch);
    }

    /** What the class path of {@code loader} holds, each artifact as Netty's own build names it. */
    static NettyVersions of(ClassLoader loader) {
        String built = builtVersion();
        Map<String, String> other = new TreeMap<>();
        for (Map.Entry<String, Version> e : Version.identify(loader).entrySet()) {
            String v = e.getValue().artifactVersion();
            if (!v.equals(built)) {
                other.put(e.getKey(), v);
            }
        }
        return new NettyVersions(built, other);
    }

    static String builtVersion() {
        try (InputStream in = NettyVersions.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("plsim-embedded lacks io/plsim/embedded/build.properties");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("netty.version");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read plsim's build.properties: " + e.getMessage(), e);
        }
    }

    /** @throws PlsimException naming the artifacts at another release and the two ways out */
    void requireConsistent() {
        if (mismatch.isEmpty()) {
            return;
        }
        StringBuilder m = new StringBuilder("plsim is built with Netty ").append(built)
                .append(" but the class path also holds ");
        m.append(String.join(", ", mismatch.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
        m.append("; with two Netty releases the native transports (epoll, io_uring) do not load and the data plane"
                + " falls back to NIO. Either import io.netty:netty-bom:").append(built)
                .append(" (type pom, scope import) in <dependencyManagement>, or exclude"
                        + " software.amazon.awssdk:netty-nio-client from the AWS SDK dependencies"
                        + " (and use url-connection-client); `mvn dependency:tree -Dincludes=io.netty` shows"
                        + " what brings the other release.");
        throw new PlsimException(m.toString());
    }
}
