package io.plsim.app.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Optional;

/**
 * What keeps a web page in the user's browser from driving plsim, which listens beside that browser.
 * Three rules, checked before any route sees a request:
 * <ol>
 *   <li>{@code Host} must be a loopback name of this server's port or one the user allowed
 *       ({@link AllowedHosts}): a page of another site whose name was rebound to 127.0.0.1 sends its own
 *       name, so it can neither read nor change anything.</li>
 *   <li>A request that may change state (any method but GET and HEAD) that carries an {@code Origin} must
 *       carry this server's own: browsers send {@code Origin} on every cross-origin POST, PATCH and
 *       DELETE, even on the "simple" ones that need no preflight. Clients that are not browsers (the
 *       AWS CLI and SDKs, curl, toxiproxy-java) send none and are not affected.</li>
 *   <li>A state change to a JSON route (every route but the Query API's {@code /}) must type its body
 *       {@code application/json}, or send no body and no type: the types a page may post without a
 *       preflight ({@code text/plain}, form data) never reach a route (415), even from a browser that
 *       sent no {@code Origin}. One exception, for clients that cannot choose: a form-encoded body from
 *       a request with neither {@code Origin} nor {@code Sec-Fetch-Site}, which no browser sends with
 *       a cross-site form, is read as JSON. It is what Java's {@code HttpURLConnection} sends when its
 *       caller names no type (toxiproxy-java does not), and what {@code curl -d} sends.</li>
 * </ol>
 * A request without {@code Host} is answered: browsers always send one.
 */
final class RequestGuard {

    private final AllowedHosts allowed;
    private final java.util.concurrent.atomic.LongAdder refused = new java.util.concurrent.atomic.LongAdder();

    RequestGuard(AllowedHosts allowed) {
        this.allowed = allowed;
    }

    /** Requests refused so far. */
    long refused() {
        return refused.sum();
    }

    /** Why a request is refused: the status and a one-line body that says why and what to do. */
    record Refusal(int status, String reason) {
    }

    /**
     * The refusal of a request to a server listening on {@code ownPort}, or empty when it may be answered.
     */
    Optional<Refusal> check(HttpMethod method, HttpHeaders headers, int ownPort, boolean jsonRoute,
                            boolean hasBody) {
        String hostHeader = headers.get(HttpHeaderNames.HOST);
        AllowedHosts.HostAndPort host = null;
        if (hostHeader != null) {
            host = AllowedHosts.HostAndPort.parse(hostHeader);
            if (host == null) {
                return refuse(400, "Host '" + printable(hostHeader) + "' is not a host name with an optional port");
            }
            if (!allowed.allows(host, ownPort)) {
                return refuse(403, "Host '" + printable(hostHeader) + "' is not a loopback name of this port"
                        + " (127.0.0.1, localhost or [::1], with or without :" + ownPort + "): plsim answers only"
                        + " those, so that a web page cannot reach it by DNS rebinding; start plsim with "
                        + AllowedHosts.FLAG + " " + printable(host.host()) + " to allow that name");
            }
        }
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            return Optional.empty();
        }
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin != null && !sameOrigin(origin, host)) {
            return refuse(403, "Origin '" + printable(origin) + "' is not this server's own"
                    + (hostHeader == null ? "" : " (http://" + printable(hostHeader) + ")")
                    + ": plsim takes no changes from other web pages");
        }
        if (jsonRoute && !jsonBody(headers, hasBody)) {
            String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
            return refuse(415, method + " takes a body of Content-Type application/json, "
                    + (type == null ? "sent without a Content-Type" : "not " + printable(type))
                    + " (with curl: -H 'Content-Type: application/json'), so that no web page can post to it");
        }
        return Optional.empty();
    }

    private static boolean jsonBody(HttpHeaders headers, boolean hasBody) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return !hasBody;
        }
        int semicolon = type.indexOf(';');
        String media = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        if (media.equalsIgnoreCase("application/json")) {
            return true;
        }
        return media.equalsIgnoreCase("application/x-www-form-urlencoded")
                && !headers.contains(HttpHeaderNames.ORIGIN) && !headers.contains("Sec-Fetch-Site");
    }

    private Optional<Refusal> refuse(int status, String reason) {
        refused.increment();
        return Optional.of(new Refusal(status, reason + "\n"));
    }

    /**
     * Whether {@code origin} is {@code http://} and the authority the request was sent to ({@code to}, its
     * {@code Host}; null when it named none): the page that sent it was served by this server under the
     * name it used. An opaque {@code null} origin (a sandboxed frame, a file) is never this server's.
     */
    private static boolean sameOrigin(String origin, AllowedHosts.HostAndPort to) {
        if (to == null || !origin.regionMatches(true, 0, "http://", 0, 7)) {
            return false;
        }
        AllowedHosts.HostAndPort from = AllowedHosts.HostAndPort.parse(origin.substring(7));
        return from != null && from.host().equals(to.host())
                && (from.port() == -1 ? 80 : from.port()) == (to.port() == -1 ? 80 : to.port());
    }

    /** A header value as it may be echoed: control characters shown as '?', at most 200 characters. */
    static String printable(String value) {
        StringBuilder b = new StringBuilder(Math.min(value.length(), 200));
        for (int i = 0; i < value.length() && i < 200; i++) {
            char c = value.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return value.length() > 200 ? b + "..." : b.toString();
    }
}
