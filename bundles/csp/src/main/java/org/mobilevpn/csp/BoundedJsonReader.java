package org.mobilevpn.csp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;

/**
 * Reads JSON text that may come from an untrusted source (a policy document on disk, or pushed by a
 * fleet broker) with jackson-jr: objects become maps in document order, arrays lists, numbers
 * Integer/Long/BigInteger or Double. Strict RFC 8259 (no comments, no trailing commas, no NaN),
 * duplicate keys are an error (for a policy they are a mistake), and so is text after the document.
 *
 * <p>The limits are jackson-core's {@link StreamReadConstraints}, set far above what a real document
 * needs and far below what would hurt a small gateway:
 * <ul>
 *   <li>{@value #MAX_CHARS} characters (1 MiB): a profile is about 0.5 KiB of JSON, so this is
 *       thousands of profiles; a client holds a handful.</li>
 *   <li>nesting {@value #MAX_DEPTH} deep: a valid document needs 4 levels (document, profiles, profile,
 *       array); the bound also keeps the recursive reading far from a stack overflow.</li>
 *   <li>strings of {@value #MAX_STRING} characters (64 KiB): the longest legitimate value is an
 *       inline certificate chain or a comment, a few KiB.</li>
 *   <li>keys of {@value #MAX_NAME} characters (profile names are at most 64) and numbers of
 *       {@value #MAX_NUMBER} digits (ports and lifetimes have at most 20).</li>
 * </ul>
 * Errors give line, column, the key path and the reason, never a value: documents hold PSKs.
 */
final class BoundedJsonReader {
    static final int MAX_CHARS = 1 << 20;
    static final int MAX_DEPTH = 32;
    static final int MAX_STRING = 64 << 10;
    static final int MAX_NAME = 256;
    static final int MAX_NUMBER = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(MAX_CHARS)
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING)
                    .maxNameLength(MAX_NAME)
                    .maxNumberLength(MAX_NUMBER)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // at the key; jackson-jr's own check reports after the value
            .build();
    private static final JSON READER = JSON.builder(FACTORY).disable(JSON.Feature.USE_DEFERRED_MAPS).build();

    private BoundedJsonReader() {
    }

    /** @throws JsonSyntaxException at the first error or exceeded limit, with its position */
    static Object parse(String text) throws JsonSyntaxException {
        // a byte order mark some editors write; jackson skips it in bytes, not in text
        String json = text.startsWith("\uFEFF") ? text.substring(1) : text;
        try (JsonParser parser = FACTORY.createParser(json)) {
            Object value;
            try {
                value = READER.anyFrom(parser);
                if (parser.nextToken() != null) {
                    throw new JsonSyntaxException(position(parser.currentTokenLocation(), parser)
                            + "unexpected text after the document", false);
                }
            } catch (JsonProcessingException e) {
                throw error(parser, e);
            }
            return value;
        } catch (IOException e) { // closing a parser over a String does no I/O
            throw new JsonSyntaxException("cannot be read: " + e.getClass().getSimpleName(), false);
        }
    }

    private static JsonSyntaxException error(JsonParser parser, JsonProcessingException e) {
        JsonLocation at = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? e.getLocation() : parser.currentLocation();
        // keys come from the document: a control character in one must not forge a log line
        String message = (position(at, parser) + reason(e)).replaceAll("\\p{Cntrl}", "?");
        return new JsonSyntaxException(message, e instanceof StreamConstraintsException);
    }

    /** "line 3, column 14, in profiles.office.psk: " (the path only when inside the document). */
    private static String position(JsonLocation at, JsonParser parser) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                path.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                path.insert(0, "." + c.getCurrentName());
            }
        }
        String where = path.length() > 0 && path.charAt(0) == '.' ? path.substring(1) : path.toString();
        if (where.length() > 120) {
            where = "..." + where.substring(where.length() - 117);
        }
        return "line " + Math.max(1, at.getLineNr()) + ", column " + Math.max(1, at.getColumnNr())
                + (where.isEmpty() ? "" : ", in " + where) + ": ";
    }

    /**
     * jackson's message, made for an operator: no quoted token (an unquoted PSK would be one), no
     * source description and no hints about Java settings, which an operator cannot change.
     */
    private static String reason(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        return m.replaceAll("^(Unrecognized|Non-standard) token '[^']*'", "$1 token")
                .replaceAll("\\[Source: [^;\\]]*; (line: \\d+, column: \\d+)\\]", "$1")
                .replaceAll(", from `[^`]*`", "")
                .replaceAll(": enable `[^`]*` to allow", ": not allowed in JSON")
                .replaceAll(" \\(not recognized as one since Feature '[A-Z_]+' not enabled for parser\\)", ": JSON has no comments")
                .replaceAll("end-of-input(?=[A-Za-z])", "end-of-input: ");
    }
}
