package io.plsim.dataplane;

/** A target's health as one NLB node sees it. */
public enum TargetHealth {
    /** Not yet checked often enough to be healthy; receives no flows unless all targets fail open. */
    INITIAL("initial"),
    HEALTHY("healthy"),
    UNHEALTHY("unhealthy");

    private final String wire;

    TargetHealth(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
