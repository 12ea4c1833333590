package io.plsim.app.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a title, aligned columns and nothing else. */
final class Table {

    private final String title;
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    Table(String title, String... header) {
        this.title = title;
        this.header = header;
    }

    Table row(Object... cells) {
        String[] r = new String[header.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "-";
        }
        rows.add(r);
        return this;
    }

    void print(PrintWriter out) {
        out.println(title);
        if (rows.isEmpty()) {
            out.println("  (none)");
            out.println();
            return;
        }
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        line(out, header, width);
        String[] rule = new String[header.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        line(out, rule, width);
        rows.forEach(r -> line(out, r, width));
        out.println();
    }

    private static void line(PrintWriter out, String[] cells, int[] width) {
        StringBuilder b = new StringBuilder("  ");
        for (int i = 0; i < cells.length; i++) {
            b.append(cells[i]);
            if (i < cells.length - 1) {
                b.append(" ".repeat(width[i] - cells[i].length() + 2));
            }
        }
        out.println(b.toString().stripTrailing());
    }
}
