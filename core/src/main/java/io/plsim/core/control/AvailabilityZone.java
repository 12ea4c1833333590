package io.plsim.core.control;

/** An Availability Zone as one account names it. */
public record AvailabilityZone(String zoneName, String zoneId, String region) {
    public static final String STATE = "available";
}
