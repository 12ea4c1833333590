package io.plsim.app.load;

import java.util.Locale;

/** How {@code plsim load} drives its connections. */
public enum LoadMode {
    /** Request/response at a fixed open-loop rate, latency from each request's intended send time. */
    RR("rr"),
    /** Closed loop at the highest rate: each connection sends its next request when the answer arrives. */
    CLOSED("closed"),
    /** A new connection per request: connect, send, read the answer, close; at a rate or as fast as possible. */
    CHURN("churn"),
    /** Streaming bytes both ways, reported as MB/s. */
    BULK("bulk");

    private final String label;

    LoadMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether each request is answered, so there is a latency to report. */
    public boolean hasLatency() {
        return this != BULK;
    }

    public static LoadMode parse(String text) {
        for (LoadMode m : values()) {
            if (m.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("expected rr, closed, churn or bulk, found " + text);
    }
}
