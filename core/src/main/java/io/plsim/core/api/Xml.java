package io.plsim.core.api;

import java.io.StringWriter;
import java.util.Collection;
import java.util.function.Consumer;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes an EC2 Query response: the JDK's StAX writer, with the EC2 idioms as methods (a list is
 * {@code <nameSet><item>..</item></nameSet>}, absent values are left out).
 */
final class Xml {

    static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
    static final String ELB_NAMESPACE = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private final StringWriter out = new StringWriter();
    private final XMLStreamWriter w;

    private Xml() {
        try {
            w = FACTORY.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A success response: {@code <ActionResponse xmlns=...><requestId>..</requestId>...}. */
    static String response(String action, String requestId, Consumer<Xml> body) {
        Xml x = new Xml();
        x.start(action + "Response");
        x.attribute("xmlns", NAMESPACE);
        x.text("requestId", requestId);
        body.accept(x);
        x.end();
        return x.finish();
    }

    /** The EC2 error envelope. */
    static String error(String code, String message, String requestId) {
        Xml x = new Xml();
        x.start("Response");
        x.start("Errors");
        x.start("Error");
        x.text("Code", code);
        x.text("Message", message);
        x.end();
        x.end();
        x.text("RequestID", requestId);
        x.end();
        return x.finish();
    }

    /**
     * An ELBv2 success response: {@code <ActionResponse xmlns=...><ActionResult>...</ActionResult>
     * <ResponseMetadata><RequestId>..</RequestId></ResponseMetadata></ActionResponse>}.
     */
    static String elbResponse(String action, String requestId, Consumer<Xml> result) {
        Xml x = new Xml();
        x.start(action + "Response");
        x.attribute("xmlns", ELB_NAMESPACE);
        x.start(action + "Result");
        result.accept(x);
        x.end();
        x.start("ResponseMetadata");
        x.text("RequestId", requestId);
        x.end();
        x.end();
        return x.finish();
    }

    /** The ELBv2 error envelope; every error plsim answers is the caller's ({@code Sender}). */
    static String elbError(String code, String message, String requestId) {
        Xml x = new Xml();
        x.start("ErrorResponse");
        x.attribute("xmlns", ELB_NAMESPACE);
        x.start("Error");
        x.text("Type", "Sender");
        x.text("Code", code);
        x.text("Message", message);
        x.end();
        x.text("RequestId", requestId);
        x.end();
        return x.finish();
    }

    /** {@code <name><member>...</member>...</name>}, the Query protocol's list outside EC2. */
    <T> Xml members(String name, Collection<T> values, java.util.function.BiConsumer<Xml, T> member) {
        start(name);
        for (T v : values) {
            start("member");
            member.accept(this, v);
            end();
        }
        return end();
    }

    Xml start(String name) {
        try {
            w.writeStartElement(name);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    Xml end() {
        try {
            w.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** The index of the first character XML 1.0 does not allow in {@code s}, or -1 when there is none. */
    static int firstOutsideXml(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c <= 0xD7FF || c == 0x9 || c == 0xA || c == 0xD || c >= 0xE000 && c <= 0xFFFD) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    /** The character at {@code i} as {@code U+0001}. */
    static String codePoint(String s, int i) {
        return String.format("U+%04X", (int) s.charAt(i));
    }

    /**
     * Text as XML 1.0 allows it: a character it does not allow becomes U+FFFD. Input is refused
     * before it is stored (see {@code QueryParams}); this keeps every answer well formed whatever
     * reaches it, a message that echoes input included.
     */
    static String clean(String s) {
        if (firstOutsideXml(s) < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (c >= 0x20 && c <= 0xD7FF || c == 0x9 || c == 0xA || c == 0xD || c >= 0xE000 && c <= 0xFFFD) {
                b.append(c);
            } else {
                b.append('\uFFFD');
            }
        }
        return b.toString();
    }

    private void attribute(String name, String value) {
        try {
            w.writeAttribute(name, clean(value));
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text inside the element open now. */
    Xml characters(String value) {
        try {
            w.writeCharacters(clean(value));
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** {@code <name>value</name>}, or nothing when the value is null. */
    Xml text(String name, Object value) {
        if (value == null) {
            return this;
        }
        try {
            w.writeStartElement(name);
            w.writeCharacters(clean(String.valueOf(value)));
            w.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** {@code <name><item>v</item>...</name>}. */
    Xml strings(String name, Collection<String> values) {
        start(name);
        for (String v : values) {
            text("item", v);
        }
        return end();
    }

    /** {@code <name><item>...</item>...</name>} with each item written by {@code item}. */
    <T> Xml items(String name, Collection<T> values, java.util.function.BiConsumer<Xml, T> item) {
        start(name);
        for (T v : values) {
            start("item");
            item.accept(this, v);
            end();
        }
        return end();
    }

    private String finish() {
        try {
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
