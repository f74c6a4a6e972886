package com.warehouseexport.status;

import com.warehouseexport.model.domain.Timestamps;
import com.warehouseexport.model.json.ApiResponse;
import java.time.Instant;
import java.util.Map;

/** The small pages a browser shows when an emailed link cannot be followed; plain words, nothing internal. */
final class LinkPages {
    private LinkPages() {
    }

    static ApiResponse expired(Instant expiredAt) {
        return page(410, "Download link expired", "This download link expired at "
                + Timestamps.format(expiredAt) + " (UTC). Request the export again to get a new link.");
    }

    static ApiResponse invalid() {
        return page(403, "Download link not valid", "This download link is not valid. Check that you opened the "
                + "whole link from the email.");
    }

    static ApiResponse gone() {
        return page(404, "Download not available", "This download is no longer available. Request the export "
                + "again to get a new link.");
    }

    private static ApiResponse page(int status, String title, String text) {
        // the texts are constants and an ISO timestamp: nothing here needs HTML escaping
        String body = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
                + "</title></head>\n<body><h1>" + title + "</h1>\n<p>" + text + "</p></body></html>\n";
        return new ApiResponse(status, Map.of(
                "Content-Type", "text/html; charset=utf-8",
                "Cache-Control", "no-store",
                "Referrer-Policy", "no-referrer"), body);
    }
}
