package io.plsim.app.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Optional;

/**
 * What keeps a web page in the user's browser from driving plsim, which listens beside that browser.
 * Two rules, checked before any route sees a request:
 * <ol>
 *   <li>{@code Host} must be a loopback name of this server's port or one the user allowed
 *       ({@link AllowedHosts}): a page of another site whose name was rebound to 127.0.0.1 sends its own
 *       name, so it can neither read nor change anything.</li>
 *   <li>A request that may change state (any method but GET and HEAD) that carries an {@code Origin} must
 *       carry this server's own: browsers send {@code Origin} on every cross-origin POST, PATCH and
 *       DELETE, even on the "simple" ones that need no preflight. Clients that are not browsers (the
 *       AWS CLI and SDKs, curl, toxiproxy-java) send none and are not affected.</li>
 * </ol>
 * A request without {@code Host} is answered: browsers always send one.
 */
final class RequestGuard {

    private final AllowedHosts allowed;

    RequestGuard(AllowedHosts allowed) {
        this.allowed = allowed;
    }

    /** Why a request is refused: the status and a one-line body that says why and what to do. */
    record Refusal(int status, String reason) {
    }

    /**
     * The refusal of a request to a server listening on {@code ownPort}, or empty when it may be answered.
     */
    Optional<Refusal> check(HttpMethod method, HttpHeaders headers, int ownPort) {
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
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(int status, String reason) {
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
