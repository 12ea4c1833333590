package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java user's own Maven project, outside this build, whose pom's dependencies are
 * {@code docs/embedding.md}'s snippet as pasted (plus JUnit, which a test suite has): it compiles and its
 * test starts a world on a native transport (epoll or io_uring, not NIO) and reads it through the
 * AWS SDK's EC2 client, which is what the snippet's exclusions keep working.
 *
 * <p>The project is built by Maven in a process of its own, with nothing downloaded: its local
 * repository holds this build's modules (jars made from their classes, as {@code mvn install} would put
 * them), and every other artifact comes from the local repository this build used, as a mirror.
 */
class ConsumerProjectTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final List<String> MODULES = List.of("core", "dataplane", "app", "embedded");

    @Test
    void theDocumentedSnippetBuildsAProjectWhoseWorldRunsNative(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("mvn"), "needs mvn on the PATH");
        Path usersRepo = Path.of(System.getProperty("maven.repo.local",
                System.getProperty("user.home") + "/.m2/repository"));
        assumeTrue(Files.isDirectory(usersRepo.resolve("org/apache/maven/plugins")), "needs " + usersRepo);
        String parentPom = Files.readString(ROOT.resolve("pom.xml"));
        String version = first(parentPom, "<artifactId>plsim-parent</artifactId>\\s*<version>([^<]+)</version>");

        Path repo = tmp.resolve("repo");
        install(repo, "plsim-parent", version, ROOT.resolve("pom.xml"), null);
        for (String m : MODULES) {
            Path dir = ROOT.resolve(m);
            String pom = Files.readString(dir.resolve("pom.xml"));
            String artifact = first(pom, "</parent>\\s*<artifactId>([^<]+)</artifactId>");
            Path jar = tmp.resolve(artifact + ".jar");
            jarOf(dir.resolve("target/classes"), jar);
            install(repo, artifact, version, dir.resolve("pom.xml"), jar);
        }

        Path project = tmp.resolve("consumer");
        Files.createDirectories(project.resolve("src/test/java/consumer"));
        Files.createDirectories(project.resolve("src/test/resources"));
        Files.writeString(project.resolve("pom.xml"), consumerPom(parentPom, snippet()));
        Files.writeString(project.resolve("src/test/resources/consumer-world.yaml"),
                Files.readString(ROOT.resolve("embedded/src/test/resources/world.yaml"))
                        .replace("127.11.", "127.197.").replace("127.12.", "127.198."));
        Files.writeString(project.resolve("src/test/java/consumer/ConsumerTest.java"), CONSUMER_TEST);
        Path settings = tmp.resolve("settings.xml");
        Files.writeString(settings, "<settings><mirrors><mirror><id>this-build</id><mirrorOf>*</mirrorOf><url>"
                + usersRepo.toUri() + "</url></mirror></mirrors></settings>\n");

        Path log = tmp.resolve("mvn.log");
        Process mvn = new ProcessBuilder("mvn", "-B", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repo, "test")
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = mvn.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            mvn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log);
        String tail = out.substring(Math.max(0, out.length() - 6000));
        assertTrue(ended, () -> "the consumer's build did not end in 5 minutes:\n" + tail);
        assertEquals(0, mvn.exitValue(), () -> "the consumer's build failed:\n" + tail);
        assertTrue(out.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), () -> tail);
        Matcher transport = Pattern.compile("consumer world on (\\S+)").matcher(out);
        assertTrue(transport.find(), () -> tail);
        assertTrue(List.of("io_uring", "epoll").contains(transport.group(1)), transport.group(1));
    }

    /** The first XML block of the embedding page: the dependencies a user pastes. */
    private static String snippet() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/embedding.md"));
        String xml = first(doc, "(?s)```xml\\n(.*?)```");
        assertTrue(xml.contains("<artifactId>plsim-embedded</artifactId>"), xml);
        return xml;
    }

    private static String consumerPom(String parentPom, String dependencies) {
        String junit = first(parentPom, "<junit.version>([^<]+)</junit.version>");
        StringBuilder plugins = new StringBuilder();
        for (String p : List.of("maven-compiler-plugin", "maven-surefire-plugin", "maven-resources-plugin")) {
            plugins.append("<plugin><groupId>org.apache.maven.plugins</groupId><artifactId>").append(p)
                    .append("</artifactId><version>")
                    .append(first(parentPom, "<artifactId>" + p + "</artifactId>\\s*<version>([^<]+)</version>"))
                    .append("</version></plugin>\n");
        }
        String withJunit = dependencies.replace("</dependencies>",
                "  <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId>"
                        + "<version>" + junit + "</version><scope>test</scope></dependency>\n</dependencies>");
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>orders-service-tests</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                """ + withJunit + "\n<build><plugins>\n" + plugins + "</plugins></build>\n</project>\n";
    }

    private static final String CONSUMER_TEST = """
            package consumer;

            import static org.junit.jupiter.api.Assertions.assertEquals;

            import io.plsim.embedded.PlsimWorld;
            import org.junit.jupiter.api.Test;
            import software.amazon.awssdk.services.ec2.Ec2Client;

            class ConsumerTest {
                @Test
                void aWorldOfMyOwn() {
                    try (PlsimWorld world = PlsimWorld.resource("consumer-world.yaml").start()) {
                        System.out.println("consumer world on " + world.dataPlane().transport().name());
                        try (Ec2Client ec2 = world.ec2("444455556666")) {
                            assertEquals(1, ec2.describeVpcEndpoints().vpcEndpoints().size());
                        }
                    }
                }
            }
            """;

    /** Puts an artifact where {@code mvn install} would: the pom, the jar, and the metadata of a local copy. */
    private static void install(Path repo, String artifact, String version, Path pom, Path jar) throws IOException {
        Path dir = repo.resolve("io/plsim").resolve(artifact).resolve(version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"));
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"));
        }
        Files.writeString(dir.resolve("maven-metadata-local.xml"), "<metadata><groupId>io.plsim</groupId><artifactId>"
                + artifact + "</artifactId><version>" + version + "</version><versioning><snapshot><localCopy>true"
                + "</localCopy></snapshot><lastUpdated>20260101000000</lastUpdated></versioning></metadata>\n");
    }

    private static void jarOf(Path classes, Path jar) throws IOException {
        assertTrue(Files.isDirectory(classes), classes + " (compile the module first)");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> all = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) all.sorted()::iterator) {
                String name = classes.relativize(p).toString().replace('\\', '/');
                if (name.isEmpty()) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    out.putNextEntry(new JarEntry(name + "/"));
                } else {
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(p, out);
                }
                out.closeEntry();
            }
        }
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no " + regex);
        return m.group(1);
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }
}
