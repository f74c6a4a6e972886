package com.warehouseexport.receiver;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Request headers by name in any case (HTTP names are case-insensitive; API Gateway passes them as sent). */
final class Headers {
    private Headers() {
    }

    /** Every value of the header: the multi-value map when API Gateway filled it, else the single-value map. */
    static List<String> values(APIGatewayProxyRequestEvent event, String name) {
        List<String> values = new ArrayList<>();
        Map<String, List<String>> multi = event.getMultiValueHeaders();
        if (multi != null) {
            multi.forEach((key, list) -> {
                if (name.equalsIgnoreCase(key) && list != null) {
                    list.stream().filter(value -> value != null).forEach(values::add);
                }
            });
        }
        if (values.isEmpty() && event.getHeaders() != null) {
            event.getHeaders().forEach((key, value) -> {
                if (name.equalsIgnoreCase(key) && value != null) {
                    values.add(value);
                }
            });
        }
        return values;
    }
}
