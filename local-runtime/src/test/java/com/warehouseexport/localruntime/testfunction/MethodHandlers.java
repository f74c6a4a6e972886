package com.warehouseexport.localruntime.testfunction;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Handlers named {@code Class::method}, in the signatures Lambda accepts. */
public class MethodHandlers {
    public String upper(String input, Context context) {
        return input.toUpperCase(Locale.ROOT) + "/" + context.getFunctionName();
    }

    public void stream(InputStream in, OutputStream out, Context context) throws IOException {
        out.write(("{\"raw\":" + new String(in.readAllBytes(), StandardCharsets.UTF_8) + "}")
            .getBytes(StandardCharsets.UTF_8));
    }

    public int noInput() {
        return 42;
    }
}
