package io.plsim.core.api;

import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.Page;
import io.plsim.core.control.Unsuccessful;
import io.plsim.core.model.SecurityGroup;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The EC2 response shapes that more than one family of actions writes: the answers of Create, Describe, batch
 * and done-or-refused actions, DNS entries, group and tag sets, and timestamps.
 *
 * <p>Invariant: a shape is written the same way by every action that answers it; timestamps are ISO-8601
 * UTC with milliseconds.
 */
final class Ec2Shapes {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private Ec2Shapes() {
    }

    /** The answer of an action that only says it was done: {@code <return>true</return>}. */
    static String done(String action, String requestId) {
        return Xml.response(action, requestId, x -> x.text("return", true));
    }

    /** The answer of an action on a batch of IDs: the ones it could not act on, each with its error. */
    static String batch(String action, String requestId, List<Unsuccessful> failed) {
        return Xml.response(action, requestId, x -> unsuccessful(x, failed));
    }

    /** The answer of a Create action: what it made, in {@code element}, and the client token it was given. */
    static <T> String created(String action, String requestId, String element, T made, BiConsumer<Xml, T> shape,
                              String clientToken) {
        return Xml.response(action, requestId, x -> {
            x.start(element);
            shape.accept(x, made);
            x.end();
            x.text("clientToken", clientToken);
        });
    }

    /** The answer of a Describe action: one page of items in {@code set}, and the token of the next page. */
    static <T> String page(String action, String requestId, String set, Page<T> page, BiConsumer<Xml, T> item) {
        return Xml.response(action, requestId, x -> {
            x.items(set, page.items(), item);
            x.text("nextToken", page.nextToken());
        });
    }

    private static void unsuccessful(Xml x, List<Unsuccessful> failed) {
        x.items("unsuccessful", failed, (y, u) -> {
            y.start("error");
            y.text("code", u.code());
            y.text("message", u.message());
            y.end();
            y.text("resourceId", u.resourceId());
        });
    }

    static void dnsEntries(Xml x, List<DnsEntry> entries) {
        x.items("dnsEntrySet", entries, (y, d) -> {
            y.text("dnsName", d.dnsName());
            y.text("hostedZoneId", "Z7HUB22UULQXV");
        });
    }

    static void groupSet(Xml x, List<SecurityGroup> groups) {
        x.items("groupSet", groups, (y, g) -> {
            y.text("groupId", g.id());
            y.text("groupName", g.name());
        });
    }

    static void tagSet(Xml x, Map<String, String> tags) {
        x.items("tagSet", tags.entrySet(), (y, t) -> {
            y.text("key", t.getKey());
            y.text("value", t.getValue());
        });
    }

    static String time(Instant t) {
        return TIME.format(t.truncatedTo(ChronoUnit.MILLIS));
    }
}
