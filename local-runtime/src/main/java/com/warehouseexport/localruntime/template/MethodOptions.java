package com.warehouseexport.localruntime.template;

import java.util.List;

/**
 * What an {@code Api} event adds to its method: {@code Auth.ApiKeyRequired} (null: the API's default), the
 * declared {@code RequestParameters}, and whether a request validator checks them
 * ({@code RequestModel.ValidateParameters}).
 */
public record MethodOptions(Boolean apiKeyRequired, List<RequestParameter> requestParameters,
                            boolean validateParameters) {

    public static final MethodOptions NONE = new MethodOptions(null, List.of(), false);

    /** {@code method.request.<location>.<name>}, location {@code header}, {@code querystring} or {@code path}. */
    public record RequestParameter(String location, String name, boolean required) {
    }
}
