package io.plsim.app.load;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where {@code plsim load} sends: {@code host:port} on this machine's loopback. The host is an IPv4
 * address in 127.0.0.0/8 (an endpoint network interface, an NLB node, any local service),
 * {@code localhost}, or a DNS name (an endpoint's DNS name) resolved by the plsim DNS server given
 * with {@code --dns}; the address it resolves to must be on loopback too. Nothing else is accepted:
 * a load generator must not be pointed at someone else's machine by a typo.
 *
 * @param text     the target as the user typed it
 * @param host     the host part of it (used as the HTTP {@code Host} header)
 * @param address  the resolved loopback address and port
 * @param resolved how the address was found: {@code literal}, {@code localhost}, or {@code dns <server>}
 * @param dns      the DNS server that resolves {@code host}, or null for an address
 */
public record LoadTarget(String text, String host, InetSocketAddress address, String resolved, InetSocketAddress dns) {

    private static final Pattern HOST_PORT = Pattern.compile("([^:\\s]+):(\\d{1,5})");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}\\.?$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

    /** A target that cannot be used; the message is for the user. */
    public static final class BadTarget extends Exception {
        public BadTarget(String message) {
            super(message);
        }
    }

    /** {@code host:port} of the address, as {@code 127.0.0.1:8080}. */
    public String addressText() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /**
     * Parses and resolves a target.
     *
     * @param dns the plsim DNS server for names, or {@code null}
     */
    public static LoadTarget resolve(String text, InetSocketAddress dns, Duration timeout) throws BadTarget {
        Matcher m = HOST_PORT.matcher(text.trim());
        if (!m.matches()) {
            throw new BadTarget("target must be host:port (e.g. 127.0.0.1:8080), found: " + text);
        }
        String host = m.group(1);
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new BadTarget("target port must be from 1 to 65535, found: " + text);
        }
        if (IPV4.matcher(host).matches()) {
            Inet4Address ip = ipv4(host);
            if (ip == null) {
                throw new BadTarget("not an IPv4 address: " + host);
            }
            requireLoopback(ip, host);
            return new LoadTarget(text, host, new InetSocketAddress(ip, port), "literal", null);
        }
        if (host.equalsIgnoreCase("localhost")) {
            return new LoadTarget(text, host, new InetSocketAddress(ipv4("127.0.0.1"), port), "localhost", null);
        }
        if (!DNS_NAME.matcher(host).matches()) {
            throw new BadTarget("not an IPv4 address or DNS name: " + host
                    + " (IPv6 is not supported; use an address in 127.0.0.0/8)");
        }
        if (dns == null) {
            throw new BadTarget(host + " is a name: give the plsim DNS server with --dns 127.0.0.1:PORT to resolve it,"
                    + " or use an address in 127.0.0.0/8 (names are never looked up elsewhere)");
        }
        Inet4Address ip;
        try {
            ip = DnsLookup.resolveA(host, dns, timeout);
        } catch (DnsLookup.DnsException e) {
            throw new BadTarget("cannot resolve " + host + " with --dns " + dns.getAddress().getHostAddress() + ":"
                    + dns.getPort() + ": " + e.getMessage());
        }
        requireLoopback(ip, host + " (resolved to " + ip.getHostAddress() + ")");
        return new LoadTarget(text, host, new InetSocketAddress(ip, port),
                "dns " + dns.getAddress().getHostAddress() + ":" + dns.getPort(), dns);
    }

    /** Parses {@code --dns IP:PORT}: an IPv4 loopback address and a port. */
    public static InetSocketAddress dnsServer(String text) throws BadTarget {
        Matcher m = HOST_PORT.matcher(text.trim());
        if (!m.matches() || !(IPV4.matcher(m.group(1)).matches() || m.group(1).equalsIgnoreCase("localhost"))) {
            throw new BadTarget("--dns must be IP:PORT of the plsim DNS server (e.g. 127.0.0.1:8053), found: " + text);
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new BadTarget("--dns port must be from 1 to 65535, found: " + text);
        }
        Inet4Address ip = m.group(1).equalsIgnoreCase("localhost") ? ipv4("127.0.0.1") : ipv4(m.group(1));
        if (ip == null) {
            throw new BadTarget("--dns: not an IPv4 address: " + m.group(1));
        }
        if (!ip.isLoopbackAddress()) {
            throw new BadTarget("--dns " + text + " is not on loopback (127.0.0.0/8): plsim only talks to this machine");
        }
        return new InetSocketAddress(ip, port);
    }

    private static void requireLoopback(Inet4Address ip, String what) throws BadTarget {
        if (!ip.isLoopbackAddress()) {
            throw new BadTarget("target " + what + " is not on loopback (127.0.0.0/8 or localhost):"
                    + " plsim only sends to this machine");
        }
    }

    private static Inet4Address ipv4(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
