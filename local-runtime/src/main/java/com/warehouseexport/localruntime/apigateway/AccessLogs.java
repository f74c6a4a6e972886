package com.warehouseexport.localruntime.apigateway;

import com.warehouseexport.localruntime.template.SamTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stage access logs: for an API whose stage has an {@code AccessLogSetting}, one line per request in the
 * template's Format with every {@code $context.*} variable replaced ({@code -} when it has no value, as API
 * Gateway writes it). Lines go to {@code <directory>/<ApiLogicalId>-access.log} (when a directory is given) and
 * to the runtime's output with the prefix {@code [<ApiLogicalId> access]}.
 */
public final class AccessLogs {
    private static final Pattern VARIABLE = Pattern.compile("\\$context\\.([A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*)");

    public static final AccessLogs NONE = new AccessLogs(null, null);

    private final Path directory;
    private final PrintStream out;

    /** directory and out may each be null (no file, no console line). */
    public AccessLogs(Path directory, PrintStream out) {
        this.directory = directory;
        this.out = out;
    }

    /** The file an API's access log goes to, or null when lines are not written to files. */
    public Path file(SamTemplate.Api api) {
        return directory == null ? null : directory.resolve(api.logicalId() + "-access.log");
    }

    public void write(SamTemplate.Api api, Map<String, String> context) {
        if (api == null || api.settings().accessLog() == null) {
            return;
        }
        String line = render(api.settings().accessLog().format(), context);
        if (out != null) {
            out.println("[" + api.logicalId() + " access] " + line);
        }
        Path file = file(api);
        if (file != null) {
            synchronized (this) {
                try {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write access log " + file, e);
                }
            }
        }
    }

    /**
     * Replaces each {@code $context.name} of format. Values are escaped for a JSON string (formats are usually
     * JSON; API Gateway itself does not escape, so a quote in a user agent would break its line), except
     * {@code error.messageString}, which is already a quoted JSON string.
     */
    public static String render(String format, Map<String, String> context) {
        Matcher m = VARIABLE.matcher(format);
        StringBuilder line = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = context.get(name);
            String text = value == null || value.isEmpty() ? "-"
                : name.equals("error.messageString") ? value : jsonEscape(value);
            m.appendReplacement(line, Matcher.quoteReplacement(text));
        }
        m.appendTail(line);
        return line.toString().replace("\r", " ").replace("\n", " ");
    }

    static String jsonEscape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
