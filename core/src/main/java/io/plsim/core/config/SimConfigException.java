package io.plsim.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** A sim-config that cannot be loaded, with every problem found in it. */
public final class SimConfigException extends Exception {

    private final List<ConfigProblem> problems;

    public SimConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** A config that fails as a whole (unreadable, empty), so the one problem has no line and no path. */
    static SimConfigException ofFile(String source, String message) {
        return new SimConfigException(List.of(new ConfigProblem(source, 0, "", message)));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
