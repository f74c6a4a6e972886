package com.warehouseexport.model.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.warehouseexport.model.config.Env;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.json.ApiResponses;
import com.warehouseexport.model.json.Json;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyIntegrationCorsTest {
    @AfterEach
    void resetEnvironment() {
        Env.useForThisClassLoader(null);
    }

    private static APIGatewayProxyResponseEvent answer(ProxyIntegration.Routes routes) {
        return ProxyIntegration.answer(new APIGatewayProxyRequestEvent(), null, routes, "failed");
    }

    @Test
    void everyAnswerCarriesTheConfiguredOriginWithVary() {
        Env.useForThisClassLoader(Map.of("CORS_ALLOW_ORIGIN", "https://portal.example.com"));
        APIGatewayProxyResponseEvent ok = answer(e -> ApiResponses.json(200, Json.object()));
        assertEquals("https://portal.example.com", ok.getHeaders().get("Access-Control-Allow-Origin"));
        assertEquals("Origin", ok.getHeaders().get("Vary"));
        assertEquals("application/json", ok.getHeaders().get("Content-Type"));

        APIGatewayProxyResponseEvent rejected = answer(e -> {
            throw ApiException.badRequest("invalid_body", "no");
        });
        assertEquals(400, rejected.getStatusCode());
        assertEquals("https://portal.example.com", rejected.getHeaders().get("Access-Control-Allow-Origin"));

        APIGatewayProxyResponseEvent failed = answer(e -> {
            throw new IllegalStateException("boom");
        });
        assertEquals(500, failed.getStatusCode());
        assertEquals("https://portal.example.com", failed.getHeaders().get("Access-Control-Allow-Origin"));
    }

    @Test
    void wildcardNeedsNoVary() {
        Env.useForThisClassLoader(Map.of("CORS_ALLOW_ORIGIN", "*"));
        APIGatewayProxyResponseEvent ok = answer(e -> ApiResponses.json(200, Json.object()));
        assertEquals("*", ok.getHeaders().get("Access-Control-Allow-Origin"));
        assertFalse(ok.getHeaders().containsKey("Vary"));
    }

    @Test
    void unsetOrBlankMeansNoCorsHeader() {
        Env.useForThisClassLoader(Map.of("CORS_ALLOW_ORIGIN", " "));
        APIGatewayProxyResponseEvent ok = answer(e -> ApiResponses.json(200, Json.object()));
        assertFalse(ok.getHeaders().containsKey("Access-Control-Allow-Origin"));
        Env.useForThisClassLoader(Map.of());
        assertFalse(answer(e -> ApiResponses.json(200, Json.object())).getHeaders()
            .containsKey("Access-Control-Allow-Origin"));
    }
}
