package io.plsim.core.control;

import java.util.List;

/**
 * One page of a describe call.
 *
 * @param nextToken null on the last page
 */
public record Page<T>(List<T> items, String nextToken) {
    public Page {
        items = List.copyOf(items);
    }
}
