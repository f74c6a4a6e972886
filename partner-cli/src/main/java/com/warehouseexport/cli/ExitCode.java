package com.warehouseexport.cli;

/** The process exit codes scripts can rely on. */
public enum ExitCode {
    OK(0),
    /** Wrong command line: nothing was sent. */
    USAGE(1),
    /** The API refused the call (4xx): fix the request or the credentials. */
    API_ERROR(2),
    /** Server error (5xx), network failure, or a download that did not arrive whole: retrying may help. */
    SERVER_OR_NETWORK(3),
    /** The export itself ended FAILED (or CANCELLED). */
    EXPORT_FAILED(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
