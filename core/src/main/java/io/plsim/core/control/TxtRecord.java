package io.plsim.core.control;

/**
 * A TXT record of the world's public DNS: what a provider publishes to verify a private DNS name.
 *
 * @param name  lower case, without the trailing dot
 * @param value one character-string of the record, as published
 */
public record TxtRecord(String name, String value) {

    /** A TXT character-string is one length byte and at most 255 bytes. */
    public static final int MAX_VALUE = 255;

    /**
     * The record of a name and value as given: the name checked as a domain name (labels may start
     * with an underscore) and kept in lower case without the trailing dot; the value one TXT string of
     * printable ASCII.
     *
     * @throws ControlPlaneException {@code InvalidParameterValue}, naming what is wrong
     */
    public static TxtRecord of(String name, String value) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(value, "value");
        String n = RequestChecks.checkRecordName(name);
        if (value.isEmpty() || value.length() > MAX_VALUE || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new ControlPlaneException("InvalidParameterValue", "A TXT value is 1 to " + MAX_VALUE
                    + " printable ASCII characters; found " + value.length() + " characters for " + n);
        }
        return new TxtRecord(n, value);
    }
}
