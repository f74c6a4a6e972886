package com.warehouseexport.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The error codes written in the main code of the API functions, found by reading their sources: what the
 * document must list, whatever a test manages to provoke.
 */
final class SourceCodes {

    /** Code marker for "the status is not written next to the code". */
    static final int UNKNOWN_STATUS = 0;

    /** Where API error bodies are made: both handlers' modules and shared-model's JSON helpers. */
    private static final List<String> API_SOURCES = List.of(
            "request-receiver/src/main/java",
            "status-check/src/main/java",
            "shared-model/src/main/java/com/warehouseexport/model/json",
            "shared-model/src/main/java/com/warehouseexport/model/lambda");
    /** Where parameter problems ({@code fields[].code}) are made: the catalog and the receiver. */
    private static final List<String> FIELD_SOURCES = List.of(
            "shared-model/src/main/java/com/warehouseexport/model/catalog",
            "request-receiver/src/main/java");

    /** {@code ApiException.of(413, "body_too_large", …)}, {@code ApiResponses.error(500, "internal_error", …)}. */
    private static final Pattern WITH_STATUS = Pattern.compile("\\b(?:of|error)\\(\\s*(\\d{3})\\s*,\\s*\"([a-z_]+)\"");
    /** {@code ApiException.badRequest("empty_body", …)}. */
    private static final Pattern BAD_REQUEST = Pattern.compile("\\bbadRequest\\(\\s*\"([a-z_]+)\"");
    /** {@code new ApiException("not_found", …)}, {@code errorBody("invalid_parameter", …)}. */
    private static final Pattern WITHOUT_STATUS =
            Pattern.compile("(?:\\bnew ApiException|\\berrorBody)\\(\\s*\"([a-z_]+)\"");
    /** {@code new InvalidValue("too_long", …)}, {@code new FieldError(key, "unknown_parameter", …)}. */
    private static final Pattern FIELD_CODE = Pattern.compile(
            "(?:\\bnew InvalidValue\\(|\\bnew FieldError\\(\\s*[^,;]+,)\\s*\"([a-z_]+)\"");

    private SourceCodes() {
    }

    /** Error codes of API bodies and the status written next to each ({@link #UNKNOWN_STATUS} if none). */
    static Map<String, Integer> apiErrorCodes() {
        Map<String, Integer> codes = new TreeMap<>();
        for (String text : sources(API_SOURCES)) {
            Matcher withStatus = WITH_STATUS.matcher(text);
            while (withStatus.find()) {
                put(codes, withStatus.group(2), Integer.parseInt(withStatus.group(1)));
            }
            Matcher badRequest = BAD_REQUEST.matcher(text);
            while (badRequest.find()) {
                put(codes, badRequest.group(1), 400);
            }
            Matcher withoutStatus = WITHOUT_STATUS.matcher(text);
            while (withoutStatus.find()) {
                codes.putIfAbsent(withoutStatus.group(1), UNKNOWN_STATUS);
            }
        }
        return codes;
    }

    /** Codes of {@code fields[].code} in 400 {@code invalid_parameter} bodies. */
    static List<String> fieldErrorCodes() {
        return sources(FIELD_SOURCES).stream()
                .flatMap(text -> FIELD_CODE.matcher(text).results().map(match -> match.group(1)))
                .distinct()
                .sorted()
                .toList();
    }

    private static void put(Map<String, Integer> codes, String code, int status) {
        Integer previous = codes.get(code);
        if (previous != null && previous != UNKNOWN_STATUS && previous != status) {
            throw new AssertionError("error code " + code + " is used with status " + previous + " and " + status);
        }
        codes.put(code, status);
    }

    private static List<String> sources(List<String> directories) {
        return directories.stream().flatMap(directory -> javaFiles(ProjectFiles.root().resolve(directory))).toList();
    }

    private static Stream<String> javaFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new AssertionError("no sources at " + directory);
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.toString().endsWith(".java")).map(ProjectFiles::read).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
