package com.warehouseexport.localruntime.apigateway;

/** An IAM user allowed to call the local API: its access key pair, ARN and user id (AIDA…). */
public record Principal(String name, String accessKeyId, String secretAccessKey, String arn, String userId) {
    /** The account id in the ARN (arn:aws:iam::ACCOUNT:user/name). */
    public String accountId() {
        String[] parts = arn.split(":");
        return parts.length > 4 ? parts[4] : "";
    }

    @Override
    public String toString() {
        return "Principal[" + name + ", " + accessKeyId + ", " + arn + "]"; // never the secret
    }
}
