package com.warehouseexport.localruntime.testfunction;

import com.amazonaws.services.lambda.runtime.Context;
import com.warehouseexport.model.config.Env;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends each raw event (one line) to RECORD_FILE: for schedule and EventBridge tests. */
public class RecordingHandler {
    public void handle(InputStream in, OutputStream out, Context context) throws IOException {
        String event = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace('\n', ' ');
        Files.writeString(Path.of(Env.get("RECORD_FILE")), event + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        out.write("{}".getBytes(StandardCharsets.UTF_8));
    }
}
