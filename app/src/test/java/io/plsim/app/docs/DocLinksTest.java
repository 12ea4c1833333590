package io.plsim.app.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link and #anchor in README.md, ARCHITECTURE.md, CONTRIBUTING.md and docs/*.md points to a
 * file that exists and, for an anchor, to a heading of that file (GitHub's slug of it), so moving a page or
 * renaming a heading cannot leave a dead link behind.
 */
class DocLinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#+ (.*)$", Pattern.MULTILINE);

    @Test
    void everyRelativeLinkResolves() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> pages = new ArrayList<>();
        for (String name : List.of("README.md", "ARCHITECTURE.md", "CONTRIBUTING.md")) {
            if (Files.exists(root.resolve(name))) {
                pages.add(root.resolve(name));
            }
        }
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> dead = new ArrayList<>();
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String href = m.group(1);
                if (href.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = href.indexOf('#');
                String file = hash < 0 ? href : href.substring(0, hash);
                Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(target)) {
                    dead.add(root.relativize(page) + ": " + href + " (no such file)");
                } else if (hash >= 0 && !anchors(target).contains(href.substring(hash + 1))) {
                    dead.add(root.relativize(page) + ": " + href + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), dead);
    }

    private static List<String> anchors(Path page) throws IOException {
        List<String> slugs = new ArrayList<>();
        Matcher m = HEADING.matcher(Files.readString(page));
        while (m.find()) {
            slugs.add(m.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\w\\- ]", "").replace(' ', '-'));
        }
        return slugs;
    }
}
