package com.warehouseexport.localaws.redshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state directory: {@code statements.jsonl}, an append-only journal with one full record snapshot per line
 * (the last line of an id wins), and {@code results/<id>.json}, the result set of each finished SELECT. Each
 * snapshot is handed to the operating system with one unbuffered write, so it survives the process being
 * killed (kill -9); a line cut short by a crash is skipped on load. The journal is compacted when opened.
 */
final class StatementJournal implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path journal;
    private final Path results;
    private FileOutputStream out;

    StatementJournal(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
            this.journal = stateDir.resolve("statements.jsonl");
            this.results = Files.createDirectories(stateDir.resolve("results"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The latest snapshot of every statement in the journal, in first-seen order. */
    Map<String, JsonNode> load() {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        if (!Files.exists(journal)) {
            return latest;
        }
        try (BufferedReader in = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(line);
                    if (n.hasNonNull("id")) {
                        latest.put(n.get("id").asText(), n);
                    }
                } catch (IOException torn) {
                    // a line the previous process did not finish writing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return latest;
    }

    /** Replaces the journal by the given snapshots (atomically) and opens it for appending. */
    synchronized void compact(Collection<ObjectNode> snapshots) {
        try {
            Path tmp = journal.resolveSibling("statements.jsonl.tmp");
            StringBuilder text = new StringBuilder();
            for (ObjectNode n : snapshots) {
                text.append(JSON.writeValueAsString(n)).append('\n');
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            closeQuietly();
            out = new FileOutputStream(journal.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void append(ObjectNode snapshot) {
        try {
            if (out == null) {
                out = new FileOutputStream(journal.toFile(), true);
            }
            out.write((JSON.writeValueAsString(snapshot) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeResult(String id, JsonNode result) {
        try {
            Path tmp = results.resolve(id + ".json.tmp");
            JSON.writeValue(tmp.toFile(), result);
            Files.move(tmp, resultFile(id), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode readResult(String id) {
        Path file = resultFile(id);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void deleteResult(String id) {
        try {
            Files.deleteIfExists(resultFile(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path resultFile(String id) {
        return results.resolve(id + ".json");
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing left to do with a journal we are replacing or closing
            }
            out = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
