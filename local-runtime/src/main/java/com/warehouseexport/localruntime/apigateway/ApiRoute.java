package com.warehouseexport.localruntime.apigateway;

import com.warehouseexport.localruntime.lambda.Invocable;
import com.warehouseexport.localruntime.template.MethodOptions;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One method on one resource of an API (a SAM {@code Api} event): the path template with {@code {param}} and
 * {@code {proxy+}} segments, the function it integrates with (Lambda proxy), and whether AWS_IAM protects it.
 */
public record ApiRoute(SamTemplate.Api api, String method, String resourcePath, boolean iamAuth, String functionId,
                       Invocable function, MethodOptions options) {

    public ApiRoute(SamTemplate.Api api, String method, String resourcePath, boolean iamAuth, String functionId,
                    Invocable function) {
        this(api, method, resourcePath, iamAuth, functionId, function, MethodOptions.NONE);
    }

    /** Whether the method needs an x-api-key: its own Auth.ApiKeyRequired, else the API's. */
    public boolean apiKeyRequired() {
        return options.apiKeyRequired() != null ? options.apiKeyRequired() : api.settings().apiKeyRequired();
    }

    /** Segments of the resource path; "/" has none. */
    List<String> segments() {
        return split(resourcePath);
    }

    static List<String> split(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    /**
     * Matches request path segments (already percent-decoded) against this route's template; returns the path
     * parameters (empty map for a literal match) or null. Each element of the score is 2 for a literal segment,
     * 1 for {param}, 0 for {greedy+}, so more specific resources win as in API Gateway.
     */
    Match match(List<String> path) {
        List<String> template = segments();
        Map<String, String> parameters = new LinkedHashMap<>();
        int[] score = new int[template.size()];
        for (int i = 0; i < template.size(); i++) {
            String segment = template.get(i);
            boolean isParameter = segment.startsWith("{") && segment.endsWith("}");
            if (isParameter && segment.endsWith("+}")) {
                if (i != template.size() - 1 || path.size() <= i) {
                    return null;
                }
                parameters.put(segment.substring(1, segment.length() - 2), String.join("/", path.subList(i,
                    path.size())));
                score[i] = 0;
                return new Match(this, parameters, score);
            }
            if (i >= path.size()) {
                return null;
            }
            if (isParameter) {
                parameters.put(segment.substring(1, segment.length() - 1), path.get(i));
                score[i] = 1;
            } else if (segment.equals(path.get(i))) {
                score[i] = 2;
            } else {
                return null;
            }
        }
        return template.size() == path.size() ? new Match(this, parameters, score) : null;
    }

    record Match(ApiRoute route, Map<String, String> pathParameters, int[] score) {
        /** Positive when this match is more specific than other. */
        int compareSpecificity(Match other) {
            for (int i = 0; i < Math.min(score.length, other.score.length); i++) {
                if (score[i] != other.score[i]) {
                    return Integer.compare(score[i], other.score[i]);
                }
            }
            return Integer.compare(score.length, other.score.length);
        }
    }
}
