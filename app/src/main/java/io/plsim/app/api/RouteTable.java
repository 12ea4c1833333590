package io.plsim.app.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Routes declared in one place, as a table of method, path and handler, the way Toxiproxy's
 * {@code api.go} declares its API: what a server answers is read from the table, and its index (the
 * {@link #listed} paths) is made from it rather than written by hand beside it.
 *
 * <p>A path is matched whole, or, when it ends in {@code /{name}}, as that prefix and the rest (the
 * {@link Request#tail}, which may be empty). The first route of the request's method whose path matches
 * answers; a path that no route of that method matches is unknown (null), as {@link HttpRoutes} has it.
 */
public final class RouteTable implements HttpRoutes {

    /** The methods a route answers. */
    public enum Method { GET, POST, PATCH, DELETE }

    /**
     * A request as its route sees it.
     *
     * @param tail  for a path ending in {@code /{name}}, what followed the prefix; empty otherwise
     * @param query the raw query string, possibly empty
     * @param body  the body, empty for GET and DELETE
     */
    public record Request(String tail, String query, String body) {
    }

    /** What answers a route's requests. */
    @FunctionalInterface
    public interface Handler {
        Reply answer(Request request);
    }

    private record Route(Method method, String path, boolean withTail, String listedAs, Handler handler) {

        /** The tail when {@code p} is this route's path, null when it is not. */
        String match(String p) {
            if (!withTail) {
                return p.equals(path) ? "" : null;
            }
            return p.startsWith(path) ? p.substring(path.length()) : null;
        }
    }

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The paths the table lists, in the order declared, as an index shows them. */
    public List<String> listed() {
        return routes.stream().filter(r -> r.listedAs() != null).map(Route::listedAs).distinct().toList();
    }

    @Override
    public Reply get(String path, String query) {
        return answer(Method.GET, path, query, "");
    }

    @Override
    public Reply post(String path, String query, String body) {
        return answer(Method.POST, path, query, body);
    }

    @Override
    public Reply patch(String path, String query, String body) {
        return answer(Method.PATCH, path, query, body);
    }

    @Override
    public Reply delete(String path, String query) {
        return answer(Method.DELETE, path, query, "");
    }

    private Reply answer(Method method, String path, String query, String body) {
        for (Route r : routes) {
            if (r.method() == method) {
                String tail = r.match(path);
                if (tail != null) {
                    return r.handler().answer(new Request(tail, query, body));
                }
            }
        }
        return null;
    }

    /** Declares the routes, in the order they are tried and listed. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        /** A GET route that the index does not list. */
        public Builder get(String path, Handler handler) {
            return add(Method.GET, path, null, handler);
        }

        /** A GET route that the index lists as {@code listedAs} (its path, with its parameters shown). */
        public Builder get(String path, String listedAs, Handler handler) {
            return add(Method.GET, path, listedAs, handler);
        }

        public Builder post(String path, Handler handler) {
            return add(Method.POST, path, null, handler);
        }

        public Builder patch(String path, Handler handler) {
            return add(Method.PATCH, path, null, handler);
        }

        public Builder delete(String path, Handler handler) {
            return add(Method.DELETE, path, null, handler);
        }

        private Builder add(Method method, String path, String listedAs, Handler handler) {
            int brace = path.lastIndexOf("/{");
            boolean withTail = brace >= 0 && path.endsWith("}");
            if (path.indexOf('{') >= 0 && !(withTail && path.indexOf('{') == brace + 1)) {
                throw new IllegalArgumentException("a route's path may end in one /{name}, no more: " + path);
            }
            routes.add(new Route(method, withTail ? path.substring(0, brace + 1) : path, withTail, listedAs, handler));
            return this;
        }

        public RouteTable build() {
            return new RouteTable(routes);
        }
    }
}
