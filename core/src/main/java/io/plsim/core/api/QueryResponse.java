package io.plsim.core.api;

/**
 * What a Query API answers, EC2's and ELBv2's alike: an HTTP status and an XML body, the body an
 * error document whenever the status is not 200.
 */
public record QueryResponse(int status, String body) {
    public static final String CONTENT_TYPE = "text/xml;charset=UTF-8";
}
