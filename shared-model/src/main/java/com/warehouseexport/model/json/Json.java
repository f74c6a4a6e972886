package com.warehouseexport.model.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;

/**
 * The one Jackson mapper of the application, used for the tree model only ({@link JsonNode}); no data
 * binding, so no reflection. Decimals are read as exact {@code BigDecimal}s and written without exponent.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /**
     * Bodies sent by callers: the same reading, plus limits on what a hostile body can make the parser do
     * (nesting, string and number sizes) and duplicate keys refused, so no two readers can see different values.
     * An export order nests three levels deep; the limits are far above any legitimate order.
     */
    public static final int MAX_REQUEST_NESTING = 16;
    public static final int MAX_REQUEST_STRING_LENGTH = 64 * 1024;
    public static final int MAX_REQUEST_NUMBER_LENGTH = 100;
    private static final ObjectMapper REQUEST_MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_REQUEST_NESTING)
                            .maxStringLength(MAX_REQUEST_STRING_LENGTH)
                            .maxNumberLength(MAX_REQUEST_NUMBER_LENGTH)
                            .maxNameLength(MAX_REQUEST_STRING_LENGTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses a JSON document; {@link MalformedJsonException} with Jackson's (location-bearing) message if invalid. */
    public static JsonNode parse(String text) {
        if (text == null) {
            throw new MalformedJsonException("no JSON body");
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new MalformedJsonException("empty JSON body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(e.getOriginalMessage());
        }
    }

    /**
     * Parses a caller's request body under {@link #REQUEST_MAPPER}'s limits; {@link MalformedJsonException} with a
     * message safe to show (Jackson's, without the source excerpt) for invalid JSON, a duplicate key or a limit.
     */
    public static JsonNode parseRequestBody(String text) {
        if (text == null) {
            throw new MalformedJsonException("no JSON body");
        }
        try {
            JsonNode node = REQUEST_MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new MalformedJsonException("empty JSON body");
            }
            return node;
        } catch (JsonProcessingException e) {
            // limits name the Jackson setting ("from `StreamReadConstraints.getMaxNestingDepth()`"): not for callers
            String message = String.valueOf(e.getOriginalMessage()).replaceAll(",? ?from `[^`]*`", "");
            throw new MalformedJsonException(message);
        }
    }

    public static JsonNode parse(InputStream in) throws IOException {
        try {
            JsonNode node = MAPPER.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw new MalformedJsonException("empty JSON document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(e.getOriginalMessage());
        }
    }

    /** Compact JSON text. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Thrown for syntactically invalid JSON; the message is safe to show to the caller. */
    public static final class MalformedJsonException extends RuntimeException {
        public MalformedJsonException(String message) {
            super(message);
        }
    }
}
