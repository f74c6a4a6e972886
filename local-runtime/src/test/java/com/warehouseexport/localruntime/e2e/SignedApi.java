package com.warehouseexport.localruntime.e2e;

import java.util.Map;

/** A partner's SigV4-signed calls to the export API; two implementations sign differently (curl, the AWS SDK). */
interface SignedApi {
    String REGION = "us-east-1";
    String SERVICE = "execute-api";

    HttpReply get(String path, Map<String, String> headers);

    default HttpReply get(String path) {
        return get(path, Map.of());
    }

    /** POST with a JSON body and {@code Content-Type: application/json}. */
    HttpReply postJson(String path, String json);

    HttpReply delete(String path);
}
