package io.plsim.core.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The world's public DNS as far as verification needs it: TXT records by name, published by the
 * sim-config and the admin API, read by the verification of private DNS names and served by the DNS
 * server.
 *
 * <p>Invariant: names are lower case without the trailing dot; a name holds each value once, at most
 * {@value #MAX_VALUES_PER_NAME}, and the zone at most {@value #MAX_RECORDS} values in all. Called only
 * under {@link ControlPlane}'s lock.
 */
final class PublicDns {

    /** Bounds on what a long run can publish: far more than any walk needs. */
    static final int MAX_RECORDS = 10_000;
    static final int MAX_VALUES_PER_NAME = 20;

    private final Map<String, List<String>> texts = new LinkedHashMap<>();
    private int count;

    /** Adds {@code value} to {@code name}'s TXT record; false when the record held it already. */
    boolean publish(String name, String value) {
        List<String> values = texts.computeIfAbsent(name, n -> new ArrayList<>());
        if (values.contains(value)) {
            return false;
        }
        if (count >= MAX_RECORDS || values.size() >= MAX_VALUES_PER_NAME) {
            if (values.isEmpty()) {
                texts.remove(name);
            }
            throw new ControlPlaneException("InvalidParameterValue", "The public DNS holds at most " + MAX_RECORDS
                    + " TXT values, " + MAX_VALUES_PER_NAME + " per name; " + name + " cannot take another");
        }
        values.add(value);
        count++;
        return true;
    }

    /** Removes one value, or every value of the name when {@code value} is null; false when there was none. */
    boolean remove(String name, String value) {
        List<String> values = texts.get(name);
        if (values == null) {
            return false;
        }
        boolean removed;
        if (value == null) {
            count -= values.size();
            values.clear();
            removed = true;
        } else {
            removed = values.remove(value);
            if (removed) {
                count--;
            }
        }
        if (values.isEmpty()) {
            texts.remove(name);
        }
        return removed;
    }

    /** The values of {@code name}'s TXT record, empty when it has none. */
    List<String> texts(String name) {
        return List.copyOf(texts.getOrDefault(name, List.of()));
    }

    /** Every record, one per value, in the order published. */
    List<TxtRecord> all() {
        List<TxtRecord> out = new ArrayList<>();
        texts.forEach((n, vs) -> vs.forEach(v -> out.add(new TxtRecord(n, v))));
        return out;
    }
}
