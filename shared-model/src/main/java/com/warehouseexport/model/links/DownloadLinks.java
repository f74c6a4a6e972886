package com.warehouseexport.model.links;

import com.warehouseexport.model.config.ConfigException;
import com.warehouseexport.model.config.Env;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * Durable download links: {@code <API base URL>/links/<token>}. The API answers such a link with a redirect to a
 * freshly presigned S3 URL until the token expires, so the link does not die with the credentials of whoever
 * presigned it (a presigned URL signed with a Lambda role's session stops working when that session ends).
 */
public final class DownloadLinks {
    /** ARN of the Secrets Manager secret holding the HMAC keys (poller and status). */
    public static final String LINK_SIGNING_SECRET_ARN = "LINK_SIGNING_SECRET_ARN";
    /** Base URL of the API including its stage, e.g. {@code https://abc.execute-api.us-east-1.amazonaws.com/v1}. */
    public static final String PUBLIC_API_URL = "PUBLIC_API_URL";
    /** The route of the durable links. */
    public static final String LINKS_PATH = "/links/";

    private final String apiBaseUrl;
    private final LinkTokens tokens;

    public DownloadLinks(String apiBaseUrl, LinkTokens tokens) {
        this.apiBaseUrl = checkedBaseUrl(apiBaseUrl);
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /** The link of a request's archive, valid until {@code expiresAt}. */
    public String linkFor(String requestId, Instant expiresAt) {
        return apiBaseUrl + LINKS_PATH + tokens.sign(requestId, expiresAt);
    }

    public String apiBaseUrl() {
        return apiBaseUrl;
    }

    /** The secret's ARN from the environment, or null when unset. */
    public static String secretArnFromEnv() {
        return Env.get(LINK_SIGNING_SECRET_ARN);
    }

    /** The API base URL from the environment, or null when unset. */
    public static String apiBaseUrlFromEnv() {
        return Env.get(PUBLIC_API_URL);
    }

    /** An absolute http(s) URL without query or fragment; a trailing slash is dropped. */
    static String checkedBaseUrl(String url) {
        Objects.requireNonNull(url, "apiBaseUrl");
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PUBLIC_API_URL + " is not a URL: " + url);
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException(PUBLIC_API_URL + " must be an absolute http(s) URL without query, got " + url);
        }
        return trimmed;
    }
}
