package io.plsim.app.api;

/**
 * What the API server answers besides the EC2 Query API at {@code /}: read-only views for people
 * and scrapers. Each returns the body; null means no such path.
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

    /** An HTTP answer. */
    record Reply(int status, String contentType, String body) {
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
