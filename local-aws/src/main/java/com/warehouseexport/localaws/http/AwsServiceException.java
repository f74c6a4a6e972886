package com.warehouseexport.localaws.http;

/**
 * An error answered on the wire the way the real service answers it: the error code becomes the JSON
 * {@code __type} (AWS JSON 1.1) or the XML {@code <Code>} (query protocol), so SDK clients raise the
 * matching modelled exception class.
 */
public class AwsServiceException extends RuntimeException {
    private final int status;
    private final String code;
    private final boolean senderFault;

    public AwsServiceException(int status, String code, String message) {
        this(status, code, message, status < 500);
    }

    public AwsServiceException(int status, String code, String message, boolean senderFault) {
        super(message);
        this.status = status;
        this.code = code;
        this.senderFault = senderFault;
    }

    public static AwsServiceException validation(String message) {
        return new AwsServiceException(400, "ValidationException", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public boolean senderFault() {
        return senderFault;
    }
}
