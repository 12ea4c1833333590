package io.plsim.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves a world's loopback blocks: every 127.A.b.c the file writes, with A a moved block, is read
 * as 127.B.b.c, so that two copies of one sim-config run side by side (in one JVM, or in two test
 * JVMs) without sharing an address. What moves is a whole scalar that is an address, a CIDR or an
 * {@code ip:port} (VPC and subnet CIDRs, node IPs, built-in targets' addresses, fault scopes);
 * never the address of a target that is not built in, which is a service of the user's that stays
 * where it runs.
 */
final class AddressMove {

    private static final Pattern ADDRESS = Pattern.compile("127\\.(\\d{1,3})(\\.\\d{1,3}\\.\\d{1,3}(?:/\\d{1,2}|:\\d{1,5})?)");

    private AddressMove() {
    }

    /** The second octets of the 127.x.0.0/16 blocks a config's VPCs and load balancer nodes use. */
    static Set<Integer> blocks(JsonNode root) {
        Set<Integer> out = new TreeSet<>();
        for (JsonNode vpc : root.path("vpcs")) {
            octet(vpc.path("cidr")).ifPresent(out::add);
            for (JsonNode s : vpc.path("subnets")) {
                octet(s.path("cidr")).ifPresent(out::add);
            }
        }
        for (JsonNode lb : root.path("loadBalancers")) {
            for (JsonNode n : lb.path("nodes")) {
                octet(n.path("ip")).ifPresent(out::add);
            }
        }
        return out;
    }

    private static java.util.Optional<Integer> octet(JsonNode n) {
        Matcher m = n.isTextual() ? ADDRESS.matcher(n.asText().trim()) : null;
        return m != null && m.matches() ? java.util.Optional.of(Integer.parseInt(m.group(1))) : java.util.Optional.empty();
    }

    /** Moves the addresses of the tree in place. */
    static void apply(JsonNode root, Map<Integer, Integer> moved) {
        if (moved.isEmpty()) {
            return;
        }
        walk(root, moved, false);
    }

    private static void walk(JsonNode node, Map<Integer, Integer> moved, boolean userTarget) {
        if (node instanceof ObjectNode o) {
            // A target with an address and no built-in is the user's own service: its address stays.
            boolean keepAddress = userTarget || (o.has("address") && !o.has("builtin") && o.has("zone"));
            var it = o.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (e.getValue().isTextual()) {
                    if (!(keepAddress && e.getKey().equals("address"))) {
                        e.setValue(move(e.getValue().asText(), moved));
                    }
                } else {
                    walk(e.getValue(), moved, false);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, move(a.get(i).asText(), moved));
                } else {
                    walk(a.get(i), moved, false);
                }
            }
        }
    }

    private static TextNode move(String text, Map<Integer, Integer> moved) {
        Matcher m = ADDRESS.matcher(text.trim());
        if (m.matches()) {
            Integer to = moved.get(Integer.parseInt(m.group(1)));
            if (to != null) {
                return TextNode.valueOf("127." + to + m.group(2));
            }
        }
        return TextNode.valueOf(text);
    }
}
