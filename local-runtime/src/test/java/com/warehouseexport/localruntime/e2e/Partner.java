package com.warehouseexport.localruntime.e2e;

/** Credentials the local API Gateway accepts (the built-in principals of local-runtime), and some it does not. */
record Partner(String accessKeyId, String secretAccessKey) {
    static final Partner A = new Partner("AKIDPARTNERA", "partner-a-secret");
    static final Partner B = new Partner("AKIDPARTNERB", "partner-b-secret");

    Partner withSecret(String otherSecret) {
        return new Partner(accessKeyId, otherSecret);
    }
}
