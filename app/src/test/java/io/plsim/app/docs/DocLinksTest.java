package io.plsim.app.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link and #anchor in README.md, ARCHITECTURE.md, CONTRIBUTING.md and docs/*.md points to a
 * file that exists and, for an anchor, to a heading of that file (GitHub's slug of it), so moving a page or
 * renaming a heading cannot leave a dead link behind. And every class, package and path that ARCHITECTURE.md and
 * CONTRIBUTING.md name in code spans is in the tree, so the map of the code cannot name what has moved; and a
 * docs page over 150 lines lists every one of its sections at its top.
 */
class DocLinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#+ (.*)$", Pattern.MULTILINE);
    private static final Pattern SECTION = Pattern.compile("^## (.*)$", Pattern.MULTILINE);
    private static final int LONG_PAGE_LINES = 150;
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern CLASS = Pattern.compile("(?:[a-z]+\\.)?([A-Z][a-z]\\w*)");
    private static final Pattern PACKAGE = Pattern.compile("io\\.plsim(\\.[a-z]\\w*)+");
    private static final Pattern PATH = Pattern.compile("[\\w.-]+(/[\\w.-]+)*/?");
    /** Spans that look like paths and are not: a media type, an address block. */
    private static final Pattern NOT_A_PATH = Pattern.compile("(application|text)/[\\w.+-]+|[\\d.N]+/\\d+");

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

    /** A page this long is read by its table of contents: every section is in it. */
    @Test
    void everyLongPageListsItsSections() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> unlisted = new ArrayList<>();
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            for (Path page : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                String text = Files.readString(page);
                if (text.lines().count() <= LONG_PAGE_LINES) {
                    continue;
                }
                Matcher m = SECTION.matcher(text);
                while (m.find()) {
                    if (!text.contains("](#" + slug(m.group(1)) + ")")) {
                        unlisted.add(root.relativize(page) + ": " + m.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), unlisted);
    }

    @Test
    void everyNamedClassPackageAndPathExists() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Set<String> classes = new HashSet<>();
        Set<String> paths = new HashSet<>();
        try (Stream<Path> tree = Files.walk(root)) {
            tree.filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith(".git") && !p.contains("target/") && !p.endsWith("target"))
                    .forEach(p -> {
                        paths.add(p);
                        String name = p.substring(p.lastIndexOf('/') + 1);
                        if (name.endsWith(".java")) {
                            classes.add(name.substring(0, name.length() - ".java".length()));
                        }
                    });
        }
        List<String> missing = new ArrayList<>();
        for (String name : List.of("ARCHITECTURE.md", "CONTRIBUTING.md")) {
            Matcher m = CODE.matcher(Files.readString(root.resolve(name)));
            while (m.find()) {
                String code = m.group(1);
                Matcher c = CLASS.matcher(code);
                boolean found;
                if (c.matches()) {
                    found = classes.contains(c.group(1));
                } else if (PACKAGE.matcher(code).matches()) {
                    String dir = code.replace('.', '/');
                    found = paths.stream().anyMatch(p -> p.endsWith("/java/" + dir));
                } else if (code.contains("/") && PATH.matcher(code).matches() && !NOT_A_PATH.matcher(code).matches()
                        && !code.contains("target/")) {
                    String path = code.endsWith("/") ? code.substring(0, code.length() - 1) : code;
                    found = paths.stream().anyMatch(p -> p.equals(path) || p.endsWith("/" + path)
                            || p.endsWith("/" + path + ".java"));
                } else {
                    continue; // a command, a value, a file name in running text
                }
                if (!found) {
                    missing.add(name + ": " + code);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    private static List<String> anchors(Path page) throws IOException {
        List<String> slugs = new ArrayList<>();
        Matcher m = HEADING.matcher(Files.readString(page));
        while (m.find()) {
            slugs.add(slug(m.group(1)));
        }
        return slugs;
    }

    /** GitHub's anchor of a heading. */
    private static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\w\\- ]", "").replace(' ', '-');
    }
}
