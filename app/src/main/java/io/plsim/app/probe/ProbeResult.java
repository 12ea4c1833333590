package io.plsim.app.probe;

import java.util.Locale;

/**
 * What the service did with one case, and whether that is what a correct parser does.
 *
 * @param probeCase     the case
 * @param outcome       what the service did
 * @param verdict       pass, fail, or info for a case where either answer can be right
 * @param received      bytes the service sent on the connection
 * @param answer        the start of what it sent, printable (control characters escaped), or empty
 * @param matched       whether the answer matched {@code --expect} (true when there is no {@code --expect}
 *                      and the service answered)
 * @param ended         whether the service closed or reset the connection
 * @param beforeSent    bytes the service sent before the script had sent everything (a greeting before the
 *                      header, an error reply mid-header)
 * @param elapsedMillis from the connect to the outcome
 * @param evidence      one sentence saying what happened and, on a failure, what that says about the parser
 */
public record ProbeResult(ProbeCase probeCase, Outcome outcome, Verdict verdict, long received, String answer,
        boolean matched, boolean ended, long beforeSent, long elapsedMillis, String evidence) {

    /** What the service did. */
    public enum Outcome {
        /** Sent bytes back. */
        ANSWERED,
        /** Closed the connection (FIN) without sending anything. */
        CLOSED,
        /** Reset the connection (RST) without sending anything. */
        RESET,
        /** Neither answered nor closed before the timeout. */
        SILENT;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether the outcome is what a correct parser does. */
    public enum Verdict {
        PASS, FAIL, INFO;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
