package io.plsim.core.config;

import io.plsim.core.model.Ipv4;
import io.plsim.core.model.Topic;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code topics} section of a sim-config: the SNS topics that connection notifications may
 * name, each with its subscribers (an HTTP URL, a file, or memory).
 *
 * <p>Invariant: a topic is kept only with a well-formed ARN declared once, and an HTTP subscriber only
 * when its URL is {@code http://} on loopback, so that delivering a notification never leaves the machine.
 */
final class TopicReader {

    private final List<Topic> topics = new ArrayList<>();

    /** The topics kept, in the order of the file. */
    List<Topic> topics() {
        return List.copyOf(topics);
    }

    /** Reads one item of the section. */
    void read(Node node) {
        node.object(Set.of("arn", "subscribers"), Set.of("arn")).ifPresent(f -> {
            Optional<String> arn = node.get("arn").text();
            if (arn.isPresent() && !Topic.ARN.matcher(arn.get()).matches()) {
                node.get("arn").problem("not an SNS topic ARN like arn:aws:sns:us-east-1:111122223333:my-topic: "
                        + arn.get());
                return;
            }
            if (arn.isPresent() && topics.stream().anyMatch(t -> t.arn().equals(arn.get()))) {
                node.get("arn").problem("topic " + arn.get() + " is declared twice");
                return;
            }
            List<Topic.Subscription> subs = new ArrayList<>();
            for (Node item : node.get("subscribers").list()) {
                readSubscriber(item, subs);
            }
            arn.ifPresent(a -> topics.add(new Topic(a, subs)));
        });
    }

    private static void readSubscriber(Node item, List<Topic.Subscription> subs) {
        item.object(Set.of("http", "file", "memory"), Set.of()).ifPresent(g -> {
            if (g.size() != 1) {
                item.problem("a subscriber is exactly one of http: <url>, file: <path>, memory: true");
                return;
            }
            if (g.containsKey("http")) {
                item.get("http").text().ifPresent(url -> readHttp(item.get("http"), url, subs));
            } else if (g.containsKey("file")) {
                item.get("file").text().ifPresent(path -> subs.add(
                        new Topic.Subscription(Topic.Subscription.Kind.FILE, path)));
            } else if (item.get("memory").bool().orElse(false)) {
                subs.add(new Topic.Subscription(Topic.Subscription.Kind.MEMORY, ""));
            }
        });
    }

    private static void readHttp(Node node, String url, List<Topic.Subscription> subs) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            node.problem("not a URL: " + url);
            return;
        }
        String host = uri.getHost();
        boolean loopback = host != null && (host.equals("localhost")
                || Ipv4.parse(host).map(Ipv4.LOOPBACK::contains).orElse(false));
        if (!"http".equals(uri.getScheme()) || !loopback) {
            node.problem("an HTTP subscriber is an http:// URL on loopback (127.0.0.0/8 or localhost), found " + url);
        } else {
            subs.add(new Topic.Subscription(Topic.Subscription.Kind.HTTP, url));
        }
    }
}
