package com.warehouseexport.localruntime.template;

/** A template the local runtime cannot run, worded like CloudFormation's own errors where there is one. */
public final class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }
}
