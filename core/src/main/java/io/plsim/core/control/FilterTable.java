package io.plsim.core.control;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The filters one Describe call answers: each documented name with what it reads of a resource.
 * A name EC2 documents but plsim cannot answer faithfully is refused as not supported by plsim; a
 * name EC2 does not document is refused as invalid, as EC2 does. A filter on an attribute the
 * resource does not have (an endpoint interface has no public IP) matches nothing.
 *
 * <p>Built once, then only read: {@link #matcher} changes nothing, so one table serves every call,
 * from any thread and any control plane.
 *
 * @param <T> the resource
 */
final class FilterTable<T> {

    private final Map<String, Function<T, Collection<String>>> known = new LinkedHashMap<>();
    private final Set<String> unsupported = new TreeSet<>();
    private Function<T, Map<String, String>> tags;

    /** A filter on one value; a null value matches nothing. */
    FilterTable<T> on(String name, Function<T, String> value) {
        known.put(name, t -> {
            String v = value.apply(t);
            return v == null ? List.of() : List.of(v);
        });
        return this;
    }

    /** A filter on a value that never changes for this kind of resource. */
    FilterTable<T> constant(String name, String value) {
        return on(name, t -> value);
    }

    /** A filter that matches when any of the values matches. */
    FilterTable<T> onAny(String name, Function<T, Collection<String>> values) {
        known.put(name, values);
        return this;
    }

    /** Filters on attributes the resource never has here: documented, so accepted, and matching nothing. */
    FilterTable<T> absent(String... names) {
        for (String n : names) {
            known.put(n, t -> List.of());
        }
        return this;
    }

    /** Filters EC2 documents for this call that plsim refuses with a clear error. */
    FilterTable<T> unsupported(String... names) {
        unsupported.addAll(List.of(names));
        return this;
    }

    /** {@code tag:<key>} and {@code tag-key}, on the resource's tags. */
    FilterTable<T> tags(Function<T, Map<String, String>> tagsOf) {
        tagsOnly(tagsOf);
        known.put("tag-key", t -> tagsOf.apply(t).keySet());
        return this;
    }

    /** {@code tag:<key>} alone, for a call that documents no {@code tag-key} (DescribeTags, which has {@code key}). */
    FilterTable<T> tagsOnly(Function<T, Map<String, String>> tagsOf) {
        this.tags = tagsOf;
        return this;
    }

    /**
     * Checks the filters of a request and answers the test they make together (every filter, any
     * of its values).
     */
    Predicate<T> matcher(List<Filter> filters) {
        for (Filter f : filters) {
            String name = f.name();
            boolean isTag = tags != null && name != null && name.startsWith("tag:") && name.length() > 4;
            if (name != null && unsupported.contains(name)) {
                throw new ControlPlaneException("InvalidParameterValue", "The filter '" + name
                        + "' is documented by EC2 but not supported by plsim; filters answered here: " + names());
            }
            if (!isTag && (name == null || !known.containsKey(name))) {
                throw new ControlPlaneException("InvalidParameterValue", "The filter '" + name
                        + "' is invalid; valid filters here: " + names());
            }
            if (f.values().isEmpty()) {
                throw new ControlPlaneException("InvalidParameterValue", "The filter '" + name + "' has no value");
            }
        }
        List<Filter> copy = List.copyOf(filters);
        return t -> {
            for (Filter f : copy) {
                if (!test(t, f)) {
                    return false;
                }
            }
            return true;
        };
    }

    private boolean test(T t, Filter f) {
        if (f.name().startsWith("tag:") && !known.containsKey(f.name())) {
            Map<String, String> of = tags.apply(t);
            String key = f.name().substring(4);
            return of.containsKey(key) && f.matches(of.get(key));
        }
        return f.matches(known.get(f.name()).apply(t));
    }

    private String names() {
        TreeSet<String> all = new TreeSet<>(known.keySet());
        if (tags != null) {
            all.add("tag:<key>");
        }
        return String.join(", ", all);
    }
}
