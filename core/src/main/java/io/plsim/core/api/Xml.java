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

    private void attribute(String name, String value) {
        try {
            w.writeAttribute(name, value);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code <name>value</name>}, or nothing when the value is null. */
    Xml text(String name, Object value) {
        if (value == null) {
            return this;
        }
        try {
            w.writeStartElement(name);
            w.writeCharacters(String.valueOf(value));
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
