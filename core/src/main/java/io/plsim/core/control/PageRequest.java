package io.plsim.core.control;

/**
 * MaxResults and NextToken of a describe call; both optional.
 *
 * @param maxResults null for everything
 * @param nextToken  null for the first page
 */
public record PageRequest(Integer maxResults, String nextToken) {
    public static final PageRequest ALL = new PageRequest(null, null);

    public static PageRequest of(int maxResults) {
        return new PageRequest(maxResults, null);
    }
}
