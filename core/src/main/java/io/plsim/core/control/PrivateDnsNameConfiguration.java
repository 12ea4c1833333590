package io.plsim.core.control;

/**
 * What a provider publishes to prove it owns its service's private DNS name: a TXT record named
 * {@code name} under the domain (or, where underscores are not allowed, at the domain itself) that
 * holds {@code value}; and how far the proof has got.
 *
 * @param name  the record's first label, {@code _} and 20 lower-case letters and digits, as EC2 forms it
 * @param value {@code vpce:} and 20 letters and digits, compared exactly
 */
public record PrivateDnsNameConfiguration(DnsNameState state, String type, String name, String value) {

    /** The one kind of record EC2 verifies with. */
    public static final String TYPE = "TXT";
}
