package io.plsim.core.control;

import static io.plsim.core.control.RequestChecks.checkTaggable;
import static io.plsim.core.control.RequestChecks.checkTags;
import static io.plsim.core.control.RequestChecks.requireNonEmpty;

import io.plsim.core.control.Endpoints.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The tags of interface endpoints, the one resource plsim tags (CreateTags, DeleteTags,
 * DescribeTags); endpoint services cannot be tagged, as the user guide says.
 *
 * <p>Invariant: a tag's key keeps the sequence number of when it was first set, the stable order
 * DescribeTags pages in, until the tag is deleted; a request that fails a check on any resource
 * tags none. Called only under {@link ControlPlane}'s lock, for a caller it has checked.
 */
final class EndpointTags {

    private static final FilterTable<Tagged> FILTERS = new FilterTable<Tagged>()
            .on("key", t -> t.tag().key())
            .on("value", t -> t.tag().value())
            .on("resource-id", t -> t.tag().resourceId())
            .on("resource-type", t -> t.tag().resourceType())
            // tag:<key> here picks the tags themselves: key <key> with a matching value.
            .tagsOnly(t -> Map.of(t.tag().key(), t.tag().value()));

    private final Resources resources;

    EndpointTags(Resources resources) {
        this.resources = resources;
    }

    void create(Caller caller, List<String> resourceIds, Map<String, String> tags) {
        requireNonEmpty(resourceIds, "ResourceId");
        if (tags.isEmpty()) {
            throw new ControlPlaneException("MissingParameter", "The request must contain the parameter Tag");
        }
        List<Endpoint> targets = targets(caller, resourceIds);
        for (Endpoint e : targets) {
            checkTags(tags, e.tags.keySet());
        }
        for (Endpoint e : targets) {
            e.tags.putAll(tags);
            tags.keySet().forEach(k -> e.tagSeq.computeIfAbsent(k, x -> resources.nextSeq()));
            resources.publish(new ControlEvent.EndpointTagged(resources.snapshots.endpoint(e)));
        }
    }

    /**
     * A tag given with a value is deleted only when its value is that one (an empty value matches an
     * empty one); a tag given without a value is deleted whatever its value; no tags at all deletes
     * every tag of the resources.
     *
     * @param tags keys mapped to the value to match, or to null for any value
     */
    void delete(Caller caller, List<String> resourceIds, Map<String, String> tags) {
        requireNonEmpty(resourceIds, "ResourceId");
        for (Endpoint e : targets(caller, resourceIds)) {
            boolean changed = false;
            for (String key : tags.isEmpty() ? List.copyOf(e.tags.keySet()) : List.copyOf(tags.keySet())) {
                String wanted = tags.get(key);
                if (e.tags.containsKey(key) && (wanted == null || wanted.equals(e.tags.get(key)))) {
                    e.tags.remove(key);
                    e.tagSeq.remove(key);
                    changed = true;
                }
            }
            if (changed) {
                resources.publish(new ControlEvent.EndpointTagged(resources.snapshots.endpoint(e)));
            }
        }
    }

    /** The tags of the caller's endpoints that are not deleted, one item per tag. */
    Page<TagDescription> describe(Caller caller, List<Filter> filters, PageRequest page) {
        Predicate<Tagged> matching = FILTERS.matcher(filters);
        List<Tagged> all = new ArrayList<>();
        for (Endpoint e : resources.endpoints.values()) {
            if (!resources.owns(caller, e.owner) || e.state == EndpointState.DELETED) {
                continue;
            }
            e.tags.forEach((k, v) -> all.add(new Tagged(new TagDescription(e.id, "vpc-endpoint", k, v),
                    e.tagSeq.get(k))));
        }
        return Paging.page("tags", all.stream().filter(matching).toList(), Tagged::seq, page)
                .map(Tagged::tag);
    }

    /** The endpoints a request names, each checked before any is changed. */
    private List<Endpoint> targets(Caller caller, List<String> resourceIds) {
        List<Endpoint> targets = new ArrayList<>();
        for (String id : resourceIds) {
            checkTaggable(id);
            targets.add(resources.ownedEndpoint(caller, id));
        }
        return targets;
    }

    /** A tag with the sequence number it pages by. */
    private record Tagged(TagDescription tag, long seq) {
    }
}
