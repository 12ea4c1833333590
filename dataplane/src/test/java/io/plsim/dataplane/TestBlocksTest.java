package io.plsim.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test class of the reactor takes its loopback block from {@link TestBlocks}, and only the classes that
 * exist are listed there, so a block cannot be chosen by hand beside the list nor kept for a class that has gone.
 */
class TestBlocksTest {

    /** A block written as a number where a test class picks its world's place. */
    private static final Pattern BY_HAND = Pattern.compile(
            "NET = \\d+;|(?:TestWorld|WorldYaml)\\.in\\(\\d+\\)|ApiWorld\\.start\\(\\d+");

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theListedBlocksAreApartAndInRange() {
        assertEquals(TestBlocks.BY_CLASS.size(), new TreeSet<>(TestBlocks.BY_CLASS.values()).size());
        TestBlocks.BY_CLASS.values().forEach(n -> assertEquals(true, n >= TestBlocks.FIRST && n <= TestBlocks.LAST,
                "127." + n));
        assertEquals(150, TestBlocks.of(AdmissionTest.class));
        assertThrows(IllegalStateException.class, () -> TestBlocks.of(TestBlocksTest.class));
    }

    @Test
    void noTestPicksABlockByHand() throws IOException {
        List<String> byHand = new ArrayList<>();
        for (Path source : testSources()) {
            Matcher m = BY_HAND.matcher(Files.readString(source));
            while (m.find()) {
                byHand.add(ROOT.relativize(source) + ": " + m.group());
            }
        }
        assertEquals(List.of(), byHand);
    }

    @Test
    void everyListedClassExists() throws IOException {
        List<String> sources = testSources().stream().map(p -> p.toString().replace('\\', '/')).toList();
        List<String> gone = TestBlocks.BY_CLASS.keySet().stream()
                .filter(name -> sources.stream().noneMatch(s -> s.endsWith("/src/test/java/" + name.replace('.', '/') + ".java")))
                .sorted().toList();
        assertEquals(List.of(), gone);
    }

    private static List<Path> testSources() throws IOException {
        List<Path> all = new ArrayList<>();
        for (String module : List.of("core", "dataplane", "app", "embedded")) {
            Path dir = ROOT.resolve(module).resolve("src/test/java");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(p -> p.toString().endsWith(".java")).forEach(all::add);
                }
            }
        }
        return all;
    }
}
