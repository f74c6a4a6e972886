package com.warehouseexport.localruntime.apigateway;

import com.warehouseexport.localruntime.apigateway.ApiRoute.Match;
import com.warehouseexport.localruntime.lambda.Invocable;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every API route of a template, and API Gateway's choice among them: the most specific resource whose path
 * matches, then its method (or ANY). A resource that matches without the method is a miss, as in API Gateway
 * (which answers it with 403 Missing Authentication Token).
 */
public final class RouteTable {
    private final List<ApiRoute> routes;

    public RouteTable(List<ApiRoute> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The routes of the template's Api events, each bound to its function. */
    public static RouteTable fromTemplate(SamTemplate template, Map<String, ? extends Invocable> functions) {
        List<ApiRoute> routes = new ArrayList<>();
        for (SamTemplate.Function function : template.functions()) {
            for (SamTemplate.Event event : function.events()) {
                if (event instanceof SamTemplate.ApiEvent apiEvent) {
                    SamTemplate.Api api = template.api(apiEvent.apiLogicalId()).orElseThrow(() ->
                        new IllegalArgumentException("no API " + apiEvent.apiLogicalId()));
                    String authorizer = apiEvent.authorizer() != null ? apiEvent.authorizer()
                        : api.defaultAuthorizer();
                    Invocable invocable = functions.get(function.logicalId());
                    if (invocable == null) {
                        throw new IllegalArgumentException("no running function " + function.logicalId());
                    }
                    routes.add(new ApiRoute(api, apiEvent.method(), normalize(apiEvent.path()),
                        "AWS_IAM".equals(authorizer), function.logicalId(), invocable, apiEvent.options()));
                }
            }
        }
        return new RouteTable(routes);
    }

    private static String normalize(String path) {
        String withSlash = path.startsWith("/") ? path : "/" + path;
        return withSlash.length() > 1 && withSlash.endsWith("/") ? withSlash.substring(0, withSlash.length() - 1)
            : withSlash;
    }

    public List<ApiRoute> routes() {
        return routes;
    }

    /**
     * The route for method and path (percent-decoded segments). A path may also carry the API's stage name as its
     * first segment ({@code /Prod/exports}), as on an execute-api URL; the stage-less form is tried first.
     */
    public Optional<Resolved> resolve(String method, List<String> path) {
        Optional<Resolved> direct = resolve(method, path, null);
        if (direct.isPresent() || path.isEmpty()) {
            return direct;
        }
        for (ApiRoute route : routes) {
            if (route.api().stageName().equals(path.get(0))) {
                Optional<Resolved> staged = resolve(method, path.subList(1, path.size()), route.api());
                if (staged.isPresent()) {
                    return staged;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Resolved> resolve(String method, List<String> path, SamTemplate.Api onlyApi) {
        Match best = null;
        for (ApiRoute route : routes) {
            if (onlyApi != null && !route.api().logicalId().equals(onlyApi.logicalId())) {
                continue;
            }
            Match match = route.match(path);
            if (match != null && (best == null || match.compareSpecificity(best) > 0)) {
                best = match;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        ApiRoute resource = best.route();
        ApiRoute exact = null;
        ApiRoute any = null;
        for (ApiRoute route : routes) {
            if (route.api().logicalId().equals(resource.api().logicalId())
                && route.resourcePath().equals(resource.resourcePath())) {
                if (route.method().equals(method)) {
                    exact = route;
                } else if (route.method().equals("ANY")) {
                    any = route;
                }
            }
        }
        ApiRoute chosen = exact != null ? exact : any;
        if (chosen == null) {
            return Optional.empty();
        }
        return Optional.of(new Resolved(chosen, best.pathParameters(), onlyApi != null));
    }

    /**
     * The resource a path names, whatever the method: its API, resource path and the methods it has (for the
     * CORS preflight SAM adds to every resource). Empty when no resource matches.
     */
    public Optional<Resource> resource(List<String> path) {
        Optional<Resolved> any = resolveAnyMethod(path);
        if (any.isEmpty()) {
            return Optional.empty();
        }
        ApiRoute found = any.get().route();
        List<String> methods = new ArrayList<>();
        for (ApiRoute route : routes) {
            if (route.api().logicalId().equals(found.api().logicalId())
                && route.resourcePath().equals(found.resourcePath())) {
                methods.add(route.method());
            }
        }
        return Optional.of(new Resource(found.api(), found.resourcePath(), List.copyOf(methods)));
    }

    private Optional<Resolved> resolveAnyMethod(List<String> path) {
        for (ApiRoute route : routes) {
            Optional<Resolved> resolved = resolve(route.method(), path);
            if (resolved.isPresent()) {
                return resolved;
            }
        }
        return Optional.empty();
    }

    /** A resource of an API and its methods (ANY stands for all). */
    public record Resource(SamTemplate.Api api, String resourcePath, List<String> methods) {
    }

    /** The chosen route with its path parameters; staged when the URL carried the stage name. */
    public record Resolved(ApiRoute route, Map<String, String> pathParameters, boolean staged) {
    }
}
