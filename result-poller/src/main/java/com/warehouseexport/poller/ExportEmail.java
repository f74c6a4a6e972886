package com.warehouseexport.poller;

import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.Timestamps;
import java.util.Locale;

/** The one email of a finished request: subject, plain text and HTML bodies. */
public record ExportEmail(String subject, String text, String html) {

    public static ExportEmail forRequest(ExportRequest request) {
        return switch (request.state()) {
            case SUCCEEDED -> succeeded(request);
            case FAILED -> failed(request);
            default -> throw new IllegalArgumentException("no email for a request in state " + request.state());
        };
    }

    static ExportEmail succeeded(ExportRequest request) {
        ExportResult result = request.result();
        if (result == null) {
            throw new IllegalArgumentException("request " + request.requestId() + " has no result");
        }
        String rows = String.format(Locale.ROOT, "%,d", result.rows());
        String size = humanSize(result.bytes());
        String format = result.format().apiName() + (request.compression() == Compression.NONE ? ""
                : " (" + request.compression().apiName() + "-compressed, ." + request.fileExtension() + " files)")
                + ", " + result.parts() + " file(s)";
        String expires = result.expiresAt() == null ? "unknown" : Timestamps.format(result.expiresAt());
        String subject = "Export " + request.requestId() + " is ready";
        String text = "Your export " + request.requestId() + " of dataset " + request.dataset() + " is ready.\n\n"
                + "Download (zip): " + result.downloadUrl() + "\n\n"
                + "Rows: " + rows + "\n"
                + "Format: " + format + "\n"
                + "Archive size: " + size + "\n"
                + "The link expires at " + expires + " (UTC).\n"
                + "With API credentials the archive is also at GET " + downloadPath(request.requestId()) + "\n";
        String html = "<html><body>"
                + "<p>Your export <b>" + escape(request.requestId()) + "</b> of dataset <b>"
                + escape(request.dataset()) + "</b> is ready.</p>"
                + "<p><a href=\"" + escape(result.downloadUrl()) + "\">Download the zip archive</a></p>"
                + "<table>"
                + row("Rows", rows)
                + row("Format", format)
                + row("Archive size", size)
                + row("Link expires", expires + " (UTC)")
                + "</table>"
                + "<p>With API credentials the archive is also at <code>GET "
                + escape(downloadPath(request.requestId())) + "</code>.</p></body></html>";
        return new ExportEmail(subject, text, html);
    }

    /** The SigV4 route that redirects the owner to the archive (status-check's DownloadService). */
    static String downloadPath(String requestId) {
        return "/exports/" + requestId + "/download";
    }

    static ExportEmail failed(ExportRequest request) {
        ExportError error = request.error();
        String code = error == null ? "unknown" : error.code();
        String message = error == null || error.message().isEmpty() ? "no details recorded" : error.message();
        String subject = "Export " + request.requestId() + " failed";
        String text = "Your export " + request.requestId() + " of dataset " + request.dataset() + " failed.\n\n"
                + "Error: " + code + "\n" + message + "\n";
        String html = "<html><body>"
                + "<p>Your export <b>" + escape(request.requestId()) + "</b> of dataset <b>"
                + escape(request.dataset()) + "</b> failed.</p>"
                + "<p>Error: <code>" + escape(code) + "</code></p>"
                + "<pre>" + escape(message) + "</pre>"
                + "</body></html>";
        return new ExportEmail(subject, text, html);
    }

    /** Binary units, one decimal: {@code 12.3 MiB (12,897,485 bytes)}. */
    static String humanSize(long bytes) {
        String exact = String.format(Locale.ROOT, "%,d bytes", bytes);
        if (bytes < 1024) {
            return exact;
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%s)", value, units[unit], exact);
    }

    private static String row(String label, String value) {
        return "<tr><td>" + escape(label) + "</td><td>" + escape(value) + "</td></tr>";
    }

    /** Enough for text and double-quoted attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
