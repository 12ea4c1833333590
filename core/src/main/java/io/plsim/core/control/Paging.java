package io.plsim.core.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Cuts the answer of a Describe call into pages, as the EC2 API does with {@code MaxResults} and
 * {@code NextToken}.
 *
 * <p>Items are ordered by a sequence number that never changes and is never reused, and a token
 * names the last sequence number handed out plus the kind of listing, so a page stays correct when
 * items are added or removed between calls, and a token from one listing is refused by another.
 */
final class Paging {

    static final int MIN_PAGE = 5;
    static final int MAX_PAGE = 1000;

    private Paging() {
    }

    /**
     * One page of {@code ordered}. Without {@code MaxResults} and without a token the page holds
     * everything; with a token but no {@code MaxResults} it holds at most {@link #MAX_PAGE} items.
     *
     * @param kind names the listing in the token, so that a token is only good for the listing it came from
     * @param seq  the item's sequence number: unique and stable for the item's lifetime
     */
    static <T> Slice<T> page(String kind, List<T> ordered, ToLongFunction<T> seq, PageRequest request) {
        int limit = MAX_PAGE;
        if (request.maxResults() != null) {
            int max = request.maxResults();
            if (max < MIN_PAGE) {
                throw new ControlPlaneException("InvalidParameterValue",
                        "Value ( " + max + " ) for parameter maxResults is invalid. Expecting a value greater than "
                                + (MIN_PAGE - 1) + " and at most " + MAX_PAGE + ".");
            }
            limit = Math.min(max, MAX_PAGE);
        } else if (request.nextToken() == null) {
            limit = Integer.MAX_VALUE;
        }
        long after = Long.MIN_VALUE;
        if (request.nextToken() != null) {
            after = parseToken(kind, request.nextToken());
        }
        List<T> sorted = new ArrayList<>(ordered);
        sorted.sort(Comparator.comparingLong(seq));
        List<T> items = new ArrayList<>();
        String next = null;
        for (T t : sorted) {
            if (seq.applyAsLong(t) <= after) {
                continue;
            }
            if (items.size() == limit) {
                next = token(kind, seq.applyAsLong(items.get(items.size() - 1)));
                break;
            }
            items.add(t);
        }
        return new Slice<>(items, next);
    }

    private static String token(String kind, long seq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + "|" + seq).getBytes(StandardCharsets.UTF_8));
    }

    private static long parseToken(String kind, String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int bar = text.lastIndexOf('|');
            if (bar > 0 && text.substring(0, bar).equals(kind)) {
                return Long.parseLong(text.substring(bar + 1));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below: the token is not one this call handed out
        }
        throw new ControlPlaneException("InvalidPaginationToken",
                "Invalid pagination token '" + token + "': pass the NextToken of the previous page unchanged");
    }

    /**
     * A page of internal items, still to be turned into the snapshots the caller sees; the
     * mapping happens after the cut so that only the items on the page are snapshotted.
     */
    record Slice<T>(List<T> items, String nextToken) {
        <R> Page<R> map(Function<T, R> f) {
            return new Page<>(items.stream().map(f).toList(), nextToken);
        }
    }
}
