package io.plsim.core.api;

import io.plsim.core.control.ControlPlaneException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One page of an ELBv2 describe, cut as ELBv2 cuts them: {@code PageSize} 1 to 400 (everything when
 * absent), {@code Marker} the {@code NextMarker} of the page before. A marker is opaque to the caller;
 * it names the listing it came from and where the next page starts, so a marker from another listing,
 * or one not handed out at all, is refused with {@code ValidationError}.
 *
 * @param nextMarker null on the last page
 */
record Marked<T>(List<T> items, String nextMarker) {

    static final int MAX_PAGE_SIZE = 400;

    static <T> Marked<T> page(String kind, List<T> all, QueryParams p) {
        Integer size = p.integer("PageSize");
        if (size != null && (size < 1 || size > MAX_PAGE_SIZE)) {
            throw new ControlPlaneException("ValidationError", "1 validation error detected: Value '" + size
                    + "' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and "
                    + MAX_PAGE_SIZE);
        }
        String marker = p.string("Marker");
        int from = marker == null ? 0 : start(kind, marker, all.size());
        int to = size == null ? all.size() : Math.min(all.size(), from + size);
        String next = to < all.size() ? marker(kind, to) : null;
        return new Marked<>(List.copyOf(all.subList(from, to)), next);
    }

    private static String marker(String kind, int start) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + "|" + start).getBytes(StandardCharsets.UTF_8));
    }

    private static int start(String kind, String marker, int size) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            int bar = text.lastIndexOf('|');
            if (bar > 0 && text.substring(0, bar).equals(kind)) {
                int start = Integer.parseInt(text.substring(bar + 1));
                if (start >= 0) {
                    // A listing that shrank between pages ends, rather than failing.
                    return Math.min(start, size);
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through: not a marker this listing handed out
        }
        throw new ControlPlaneException("ValidationError", "Invalid marker '" + marker
                + "': pass the NextMarker of the previous page unchanged");
    }
}
