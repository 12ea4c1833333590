package io.plsim.core.elb;

import static io.plsim.core.elb.LoadBalancing.HEADER_PLACEMENT;
import static io.plsim.core.elb.LoadBalancing.TG_CROSS_ZONE;
import static io.plsim.core.elb.LoadBalancing.validation;

import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.elb.TargetGroupSettings.CrossZone;
import io.plsim.core.model.LoadBalancer.ProxyProtocol.HeaderPlacement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of ELBv2 attributes and health check fields as they arrive in a request (text, whole numbers
 * within a range, one of a few words), each refused with ELBv2's code and the attribute named when it is
 * not one the attribute takes.
 */
final class AttributeValues {

    private AttributeValues() {
    }

    static void refuseFixed(Map<String, String> fixed, String key, String value, String what) {
        String v = fixed.get(key);
        if (v == null) {
            throw validation("Attribute key '" + key + "' is not recognized for a " + what + " of a Network Load"
                    + " Balancer");
        }
        if (!v.equals(value)) {
            throw new ControlPlaneException("InvalidConfigurationRequest", "The " + what + " attribute " + key
                    + " is not modelled by plsim; it stays " + (v.isEmpty() ? "empty" : v));
        }
    }

    static boolean bool(String key, String value) {
        if (!"true".equals(value) && !"false".equals(value)) {
            throw validation("The value of attribute '" + key + "' must be true or false, found '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    static int integer(String key, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw validation("The value of '" + key + "' must be a whole number from " + min + " to " + max
                + ", found '" + value + "'");
    }

    static int range(String key, int v, int min, int max) {
        if (v < min || v > max) {
            throw validation(key + " must be from " + min + " to " + max + ", found " + v);
        }
        return v;
    }

    static HeaderPlacement placement(String value) {
        return switch (value) {
            case "on_first_ack_with_payload" -> HeaderPlacement.ON_FIRST_ACK_WITH_PAYLOAD;
            case "on_first_ack" -> HeaderPlacement.ON_FIRST_ACK;
            default -> throw validation("The value of attribute '" + HEADER_PLACEMENT
                    + "' must be on_first_ack_with_payload or on_first_ack, found '" + value + "'");
        };
    }

    static CrossZone crossZoneSetting(String value) {
        for (CrossZone z : CrossZone.values()) {
            if (z.wire().equals(value)) {
                return z;
            }
        }
        throw validation("The value of attribute '" + TG_CROSS_ZONE
                + "' must be true, false or use_load_balancer_configuration, found '" + value + "'");
    }

    static Map<String, String> fixed(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
