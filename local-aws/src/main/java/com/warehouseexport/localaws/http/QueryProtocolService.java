package com.warehouseexport.localaws.http;

import java.util.Map;
import java.util.Set;

/** A service spoken in the AWS query protocol: form-encoded {@code Action=...&Version=...}, XML answers. */
public interface QueryProtocolService {

    /** The actions this service answers; actions are routed to the service that lists them. */
    Set<String> actions();

    /** The XML namespace of responses and errors, e.g. {@code http://ses.amazonaws.com/doc/2010-12-01/}. */
    String xmlNamespace();

    /**
     * Handles one action. Returns the inner XML of {@code <ActionResult>} (may be empty); the server wraps it in
     * {@code <ActionResponse>} with ResponseMetadata.
     *
     * @throws AwsServiceException for any error the real service would answer with
     */
    String handle(String action, Map<String, String> params);
}
