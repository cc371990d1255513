package org.mobilevpn.webconsole;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.Map;

/**
 * Reads back the JSON this bundle writes, strictly (RFC 8259 as jackson reads it by default, duplicate
 * names refused, nothing after the document): objects become maps, arrays lists, numbers Integer, Long
 * or Double. Anything else throws {@link IllegalArgumentException}.
 */
final class StrictJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private StrictJson() {
    }

    static Object parse(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            Object value = JSON.builder(FACTORY).build().anyFrom(parser);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("text after the document at " + parser.currentTokenLocation());
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
        return (Map<String, Object>) parse(text);
    }
}
