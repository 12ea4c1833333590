package io.plsim.core.elb;

import static io.plsim.core.elb.LoadBalancing.validation;

import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.elb.LoadBalancing.TagDescription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tags of a world's load balancers, target groups and listeners, held by ARN as ELBv2 holds them: at
 * most 50 on a resource, keys of 1 to 128 characters and values of up to 256 from the service model's
 * pattern, keys beginning {@code aws:} reserved. The resources are checked by {@link LoadBalancing} before
 * they reach here, as the caller's.
 *
 * <p>Invariant: a change is checked on every resource it names before any of them changes, so a request
 * that would take one resource over the limit tags none; a key keeps its place in the order tags are shown
 * from when it was first set until it is removed.
 */
final class ResourceTags {

    static final int MAX_TAGS = 50;
    static final int MAX_KEY = 128;
    static final int MAX_VALUE = 256;
    /** DescribeTags' {@code ResourceArns}: at most 20 in one call. */
    static final int MAX_DESCRIBED = 20;
    /** The service model's pattern for a tag's key and value. */
    private static final Pattern TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private final Map<String, Map<String, String>> byArn = new HashMap<>();

    synchronized List<TagDescription> describe(List<String> arns) {
        if (arns.size() > MAX_DESCRIBED) {
            throw validation("ResourceArns has " + arns.size() + " members; DescribeTags takes at most "
                    + MAX_DESCRIBED);
        }
        List<TagDescription> out = new ArrayList<>();
        for (String arn : arns) {
            // A copy in the order the keys were set, which Map.copyOf would not keep.
            out.add(new TagDescription(arn, Collections.unmodifiableMap(new LinkedHashMap<>(
                    byArn.getOrDefault(arn, Map.of())))));
        }
        return out;
    }

    /** Sets each tag on each resource, a key the resource has taking the new value. */
    synchronized void add(List<String> arns, Map<String, String> tags) {
        if (tags.isEmpty()) {
            throw validation("Tags must contain at least one tag");
        }
        tags.forEach(ResourceTags::check);
        for (String arn : arns) {
            Map<String, String> now = byArn.getOrDefault(arn, Map.of());
            long after = now.size() + tags.keySet().stream().filter(k -> !now.containsKey(k)).count();
            if (after > MAX_TAGS) {
                throw new ControlPlaneException("TooManyTags", "You've reached the limit on the number of tags for"
                        + " this resource: " + arn + " would have " + after + " tags, at most " + MAX_TAGS);
            }
        }
        for (String arn : arns) {
            byArn.computeIfAbsent(arn, a -> new LinkedHashMap<>()).putAll(tags);
        }
    }

    /** Removes the keys from each resource; a key a resource does not have is no error. */
    synchronized void remove(List<String> arns, List<String> keys) {
        if (keys.isEmpty()) {
            throw validation("TagKeys must contain at least one tag key");
        }
        for (String arn : arns) {
            Map<String, String> now = byArn.get(arn);
            if (now != null) {
                keys.forEach(now::remove);
            }
        }
    }

    private static void check(String key, String value) {
        if (key.isEmpty() || key.length() > MAX_KEY) {
            throw validation("Tag key must be 1 to " + MAX_KEY + " characters, found " + key.length());
        }
        if (value.length() > MAX_VALUE) {
            throw validation("Tag value of key " + key + " must be at most " + MAX_VALUE + " characters, found "
                    + value.length());
        }
        if (!TEXT.matcher(key).matches() || !TEXT.matcher(value).matches()) {
            throw validation("Tag " + key + " has a character ELBv2 does not take in a tag: letters, digits,"
                    + " spaces and _ . : / = + - @ only");
        }
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw validation("Tag key " + key + " begins with aws:, which is reserved for AWS's own tags");
        }
    }
}
