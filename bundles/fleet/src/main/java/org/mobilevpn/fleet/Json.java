package org.mobilevpn.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.Map;

/**
 * JSON for the broker's messages, with Jackson jr. Everything that arrives from the broker is untrusted:
 * the parser is bounded (size, nesting, string and number lengths, tokens) and refuses duplicate keys,
 * so a document cannot say one thing to one reader and another to the next.
 */
public final class Json {
    /** Policy documents and commands without a bundle: a bigger one is a mistake or an attack. */
    public static final int MAX_DOCUMENT = 1 << 20;
    /** A deploy command carries the bundle inline (base64): up to {@value BundleImage#MAX_SIZE} bytes of jar. */
    public static final int MAX_COMMAND = BundleImage.MAX_SIZE / 3 * 4 + (64 << 10);

    private static final JSON SMALL = reader(MAX_DOCUMENT);
    private static final JSON LARGE = reader(MAX_COMMAND);
    /** Null values are written: the state's {@code rejected: null} is part of the contract. */
    private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private Json() {
    }

    private static JSON reader(int maxLength) {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxDocumentLength(maxLength)
                .maxNestingDepth(16)
                .maxNumberLength(20)
                .maxStringLength(maxLength)
                .maxNameLength(256)
                .maxTokenCount(100_000)
                .build();
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(limits).build();
        return JSON.builder(factory).enable(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS).build();
    }

    /**
     * Parses a JSON object of at most {@link #MAX_DOCUMENT} bytes.
     *
     * @throws JsonException saying what is wrong, never quoting the content
     */
    public static Map<String, Object> object(byte[] json) throws JsonException {
        return object(json, SMALL, MAX_DOCUMENT);
    }

    /** Like {@link #object(byte[])} for a command, which may carry a bundle ({@link #MAX_COMMAND} bytes). */
    public static Map<String, Object> command(byte[] json) throws JsonException {
        return object(json, LARGE, MAX_COMMAND);
    }

    private static Map<String, Object> object(byte[] json, JSON reader, int max) throws JsonException {
        if (json.length > max) {
            throw new JsonException("is larger than " + max + " bytes");
        }
        try {
            Object any = reader.anyFrom(json);
            if (!(any instanceof Map<?, ?>)) {
                throw new JsonException("must be a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) any;
            return map;
        } catch (IOException | RuntimeException e) {
            throw new JsonException("is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** Writes maps, lists, strings, numbers, booleans and null. */
    public static String write(Object value) {
        try {
            return WRITER.asString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Jackson's messages quote a bit of the source after a newline ("at [Source: ..."): keep the first line only. */
    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    /** A payload that is not the JSON it should be. */
    public static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        public JsonException(String message) {
            super(message);
        }
    }
}
