package com.warehouseexport.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Fetches the result archive from its link: a presigned S3 URL, or a link that redirects to one (the client
 * follows redirects; the link carries its own authorization, so nothing is signed). Streams to a file with
 * progress and checks the size against Content-Length and the size the status recorded.
 */
public final class Downloader {
    private static final Duration REDRAW_EVERY = Duration.ofMillis(200);

    private final HttpClient http;
    private final Progress progress;

    public Downloader(HttpClient http, Progress progress) {
        this.http = http;
        this.progress = progress;
    }

    /** Downloads to {@code target}; a partial or mismatched file is deleted. Returns the bytes written. */
    public long download(URI link, Path target, long expectedBytes) {
        HttpRequest request = HttpRequest.newBuilder(link).timeout(Duration.ofMinutes(30)).GET().build();
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        long started = System.nanoTime();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readNBytes(2000), java.nio.charset.StandardCharsets.UTF_8);
                }
                ExitCode code = response.statusCode() == 403 || response.statusCode() == 404
                    || response.statusCode() == 410 ? ExitCode.API_ERROR : ExitCode.SERVER_OR_NETWORK;
                throw new CliException(code, "the download link answered HTTP " + response.statusCode()
                    + (response.statusCode() == 403 ? " (expired or invalid link: ask for the status again)" : "")
                    + ": " + body.replaceAll("\\s+", " ").strip());
            }
            OptionalLong contentLength = response.headers().firstValueAsLong("Content-Length");
            long total = contentLength.orElse(expectedBytes);
            long written = 0;
            long lastDraw = 0;
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    written += n;
                    long now = System.nanoTime();
                    if (now - lastDraw >= REDRAW_EVERY.toNanos()) {
                        lastDraw = now;
                        progress.update(Progress.renderDownload(written, total, Duration.ofNanos(now - started)),
                            null);
                    }
                }
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            String finalLine = Progress.renderDownload(written, total, elapsed);
            progress.update(finalLine, "downloaded " + finalLine);
            progress.finish();
            if (contentLength.isPresent() && contentLength.getAsLong() != written) {
                throw new CliException(ExitCode.SERVER_OR_NETWORK, "the download stopped early: " + written
                    + " of " + contentLength.getAsLong() + " bytes (Content-Length)");
            }
            if (expectedBytes > 0 && expectedBytes != written) {
                throw new CliException(ExitCode.SERVER_OR_NETWORK, "downloaded " + written + " bytes but the "
                    + "export recorded " + expectedBytes);
            }
            Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return written;
        } catch (IOException e) {
            throw new CliException(ExitCode.SERVER_OR_NETWORK, "downloading " + link.getHost() + " failed: "
                + ApiClient.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.SERVER_OR_NETWORK, "interrupted", e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover .part file is harmless
            }
        }
    }

    /** Extracts the archive into {@code directory}; refuses entries that would land outside it. */
    public static List<Path> unzip(Path archive, Path directory) {
        List<Path> files = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(archive))) {
            Path root = directory.toAbsolutePath().normalize();
            Files.createDirectories(root);
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Path file = root.resolve(entry.getName()).normalize();
                if (!file.startsWith(root)) {
                    throw new CliException(ExitCode.SERVER_OR_NETWORK, "the archive has an entry outside its "
                        + "folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    continue;
                }
                Files.createDirectories(file.getParent());
                Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                files.add(file);
            }
        } catch (IOException e) {
            throw new CliException(ExitCode.SERVER_OR_NETWORK, "cannot unzip " + archive + ": "
                + ApiClient.rootMessage(e), e);
        }
        return files;
    }
}
