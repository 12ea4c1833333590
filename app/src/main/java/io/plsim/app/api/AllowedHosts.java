package io.plsim.app.api;

import io.plsim.core.model.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code Host} names an HTTP server of plsim answers besides its loopback ones: what the user
 * allowed with {@code --allow-host} (a name behind which a container or VM reaches plsim, or a port
 * that a tunnel moved). A browser always sends the name it resolved, so a page whose name an attacker
 * points at 127.0.0.1 (DNS rebinding) sends that name and is refused; loopback addresses and
 * {@code localhost} cannot be rebound and are always answered.
 *
 * <p>Each entry is a name alone, which allows it on any port, or {@code name:port}. {@code *} allows
 * every name, giving up that protection for a plsim that only trusted clients reach.
 */
public record AllowedHosts(List<HostAndPort> entries, boolean any) {

    public static final String FLAG = "--allow-host";
    /** A label of a DNS name (or a part of an IPv4 address). */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,62})");

    public AllowedHosts {
        entries = List.copyOf(entries);
    }

    /** Loopback names only. */
    public static AllowedHosts loopbackOnly() {
        return new AllowedHosts(List.of(), false);
    }

    /**
     * Reads {@code --allow-host} values.
     *
     * @throws IllegalArgumentException naming the value that is neither a host name, an IP address
     *                                  (IPv6 in brackets), either with {@code :port}, nor {@code *}
     */
    public static AllowedHosts of(List<String> values) {
        List<HostAndPort> entries = new ArrayList<>();
        boolean any = false;
        for (String v : values) {
            if (v.equals("*")) {
                any = true;
                continue;
            }
            HostAndPort h = HostAndPort.parse(v);
            if (h == null || h.host().length() > 253 || !(h.host().startsWith("[") || isName(h.host()))) {
                throw new IllegalArgumentException(FLAG + ": '" + v + "' is not a host name or address, optionally with"
                        + " :PORT (for example plsim.internal, 10.0.0.5:4566, [fd00::5]), nor *");
            }
            entries.add(h);
        }
        return new AllowedHosts(entries, any);
    }

    /** Whether a request that named {@code host} may be answered by a server listening on {@code ownPort}. */
    boolean allows(HostAndPort host, int ownPort) {
        if (any || (isLoopback(host.host()) && (host.port() == -1 || host.port() == ownPort))) {
            return true;
        }
        for (HostAndPort e : entries) {
            if (e.host().equals(host.host()) && (e.port() == -1 || e.port() == host.port())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isName(String host) {
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("[::1]")
                || Ipv4.parse(host).map(Ipv4.LOOPBACK::contains).orElse(false);
    }

    /**
     * A {@code Host} header's value, or an {@code Origin}'s authority: the host in lower case (an IPv6
     * address keeps its brackets) and the port, -1 when none was given.
     */
    public record HostAndPort(String host, int port) {

        /** Null when {@code value} is not {@code host}, {@code host:port} or {@code [v6]} with an optional port. */
        static HostAndPort parse(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            String host;
            String port = null;
            if (v.startsWith("[")) {
                int close = v.indexOf(']');
                if (close < 2) {
                    return null;
                }
                host = v.substring(0, close + 1);
                String rest = v.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        return null;
                    }
                    port = rest.substring(1);
                }
            } else {
                int colon = v.indexOf(':');
                host = colon < 0 ? v : v.substring(0, colon);
                port = colon < 0 ? null : v.substring(colon + 1);
            }
            if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@' || c > 0x7e)) {
                return null;
            }
            if (port == null) {
                return new HostAndPort(host, -1);
            }
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(port) > 65535) {
                return null;
            }
            return new HostAndPort(host, Integer.parseInt(port));
        }
    }
}
