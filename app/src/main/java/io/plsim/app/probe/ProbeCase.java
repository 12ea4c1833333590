package io.plsim.app.probe;

import java.util.List;
import java.util.Objects;

/**
 * One thing the probe sends on one connection, and what a correct receiver does with it.
 *
 * @param id      a short stable name ({@code aws-privatelink}), used in the table, the JSON and tests
 * @param sends   what goes on the wire, in words
 * @param must    what a correct parser does
 * @param onFail  what a failure of this case says about the parser, for the report
 * @param steps   the script: bytes to send, pauses, the end of sending
 */
public record ProbeCase(String id, String sends, Must must, String onFail, List<Step> steps) {

    public ProbeCase {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(must, "must");
        steps = List.copyOf(steps);
    }

    /** What a correct parser does with a case. */
    public enum Must {
        /** Takes the header and serves the request. */
        ACCEPT("accept"),
        /** Drops the connection without serving the request. */
        REFUSE("refuse"),
        /** Either can be right; the probe reports what happened and judges nothing. */
        EITHER("either");

        private final String word;

        Must(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** One step of a case's script. */
    public sealed interface Step {
    }

    /** Write these bytes as one segment (Nagle is off, and a pause follows or the script ends). */
    public record Send(byte[] bytes) implements Step {
        public Send {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /** Wait this long, reading whatever the service sends meanwhile. */
    public record Pause(long millis) implements Step {
    }

    /** Half-close: the service reads the end of the stream. */
    public record Finish() implements Step {
    }

    /** The bytes the script sends, in order, joined. */
    public byte[] bytesSent() {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (Step s : steps) {
            if (s instanceof Send send) {
                b.writeBytes(send.bytes);
            }
        }
        return b.toByteArray();
    }
}
