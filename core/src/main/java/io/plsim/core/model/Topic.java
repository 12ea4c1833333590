package io.plsim.core.model;

import java.util.List;

/**
 * An SNS topic of the simulated world and where its messages go. Connection notifications name a
 * topic by ARN; a topic that no config declares still keeps its messages in memory.
 */
public record Topic(String arn, List<Subscription> subscriptions) {

    /** An SNS topic ARN: {@code arn:aws:sns:<region>:<account>:<name>}, FIFO topics included. */
    public static final java.util.regex.Pattern ARN =
            java.util.regex.Pattern.compile("arn:aws:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");

    public Topic {
        subscriptions = List.copyOf(subscriptions);
    }

    /** One subscription: an HTTP URL on loopback, a JSON-lines file, or the in-memory log. */
    public record Subscription(Kind kind, String target) {
        public enum Kind { HTTP, FILE, MEMORY }
    }
}
