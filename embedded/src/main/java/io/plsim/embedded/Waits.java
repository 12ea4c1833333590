package io.plsim.embedded;

import io.plsim.core.config.World;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Waiting on a world: a condition polled until it holds or its deadline passes, never a sleep that
 * hopes, and at the deadline the words that say what was seen instead (which target, at which node, in
 * which state; which endpoint, in which state, which interfaces silent).
 */
final class Waits {

    private Waits() {
    }

    /** Polls {@code done} every 10 ms until it holds or the deadline passes. */
    static boolean await(Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (done.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Each target not healthy at some node, of one load balancer or (null) of all:
     * {@code nlb target 127.0.0.1:9001 (use1-az1) unhealthy at node use1-az2}.
     */
    static String unhealthy(World w, Function<String, LoadBalancer> loadBalancers, String loadBalancer) {
        List<String> seen = new ArrayList<>();
        for (var lb : w.topology().loadBalancers().values()) {
            if (loadBalancer != null && !lb.name().equals(loadBalancer)) {
                continue;
            }
            for (LoadBalancer.Target t : loadBalancers.apply(lb.name()).targets()) {
                t.healthByNodeZoneId().forEach((node, health) -> {
                    if (!health.equals("healthy")) {
                        seen.add(lb.name() + " target " + t.address() + " (" + t.zoneId() + ") " + health
                                + " at node " + node);
                    }
                });
            }
        }
        return seen.isEmpty() ? "all healthy now (the last check came just after the deadline)" : String.join("; ", seen);
    }

    /** Why an endpoint is not in {@code state}: gone, in another state, or not listening on every interface. */
    static String notInState(Function<String, Endpoint> endpoints, String endpointIdOrName, Endpoint.State state,
            Duration timeout) {
        Endpoint e;
        try {
            e = endpoints.apply(endpointIdOrName);
        } catch (IllegalArgumentException gone) {
            return "endpoint " + endpointIdOrName + " is gone, not " + state + ", after " + timeout;
        }
        List<String> silent = e.interfaces().stream().filter(i -> i.ports().isEmpty())
                .map(i -> i.networkInterfaceId() + " (" + i.ip() + ", " + i.zoneId() + ")").toList();
        return "endpoint " + endpointIdOrName + " (" + e.id() + ") is " + e.status() + ", not " + state + ", after "
                + timeout + (e.status() == state && !silent.isEmpty() ? "; interfaces not listening: " + silent : "");
    }
}
