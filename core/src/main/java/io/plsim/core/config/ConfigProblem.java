package io.plsim.core.config;

/**
 * One thing wrong with a sim-config: where it is and what is wrong.
 *
 * @param source the file name, or the name given to a config read from text
 * @param line   1-based line, or 0 when the problem has no single line
 * @param path   the field path, as {@code loadBalancers[0].targets[2].address}; empty for the file
 */
public record ConfigProblem(String source, int line, String path, String message) {

    /** The longest message kept whole: one that quotes a long value keeps its start and says how much is left out. */
    static final int MAX_MESSAGE = 300;

    public ConfigProblem {
        if (path.length() > 120) {
            path = path.substring(0, 100) + "... (" + (path.length() - 100) + " more characters)";
        }
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE - 60) + "... (" + (message.length() - MAX_MESSAGE + 60)
                    + " more characters)";
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ");
        if (!path.isEmpty()) {
            b.append(path).append(": ");
        }
        return b.append(message).toString();
    }
}
