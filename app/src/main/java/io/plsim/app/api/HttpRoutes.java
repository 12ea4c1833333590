package io.plsim.app.api;

import java.util.List;
import java.util.Map;

/**
 * What the API server answers besides the EC2 and ELBv2 Query APIs at {@code /}: routes for people, scripts
 * and scrapers that read the world (GET) and change it (POST, PATCH, DELETE), such as the console's, the
 * admin JSON, metrics and Toxiproxy's API. Each method returns the reply; null means no such path.
 */
public interface HttpRoutes {

    /** A GET of {@code path} with its raw query string (may be empty); null when unknown. */
    Reply get(String path, String query);

    /** A POST of {@code path} with its body; null when the path takes no POST. */
    default Reply post(String path, String query, String body) {
        return null;
    }

    /** A PATCH of {@code path} with its body; null when the path takes no PATCH. */
    default Reply patch(String path, String query, String body) {
        return null;
    }

    /** A DELETE of {@code path}; null when the path takes no DELETE. */
    default Reply delete(String path, String query) {
        return null;
    }

    /**
     * The answer to a request refused before any route saw it (its {@code Host}, {@code Origin} or
     * body type): {@code reason} is one line, ending in a newline. Plain text unless the routes' clients
     * read errors in a shape of their own.
     */
    default Reply refusal(int status, String reason) {
        return new Reply(status, "text/plain; charset=utf-8", reason);
    }

    /**
     * Routes tried in turn: each request is answered by the first of {@code routes} that knows its path
     * and method.
     */
    static HttpRoutes inTurn(HttpRoutes... routes) {
        List<HttpRoutes> all = List.of(routes);
        return new HttpRoutes() {
            @Override
            public Reply get(String path, String query) {
                return first(r -> r.get(path, query));
            }

            @Override
            public Reply post(String path, String query, String body) {
                return first(r -> r.post(path, query, body));
            }

            @Override
            public Reply patch(String path, String query, String body) {
                return first(r -> r.patch(path, query, body));
            }

            @Override
            public Reply delete(String path, String query) {
                return first(r -> r.delete(path, query));
            }

            private Reply first(java.util.function.Function<HttpRoutes, Reply> ask) {
                for (HttpRoutes r : all) {
                    Reply reply = ask.apply(r);
                    if (reply != null) {
                        return reply;
                    }
                }
                return null;
            }
        };
    }

    /**
     * An HTTP answer.
     *
     * @param headers further response headers (a page's Content-Security-Policy, a redirect's Location)
     */
    record Reply(int status, String contentType, String body, Map<String, String> headers) {
        public Reply {
            headers = Map.copyOf(headers);
        }

        public Reply(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }

        public static Reply json(String body) {
            return new Reply(200, "application/json", body);
        }

        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", body);
        }

        public static Reply text(String body) {
            return new Reply(200, "text/plain; version=0.0.4; charset=utf-8", body);
        }
    }
}
