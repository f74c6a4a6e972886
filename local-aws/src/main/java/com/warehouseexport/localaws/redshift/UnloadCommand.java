package com.warehouseexport.localaws.redshift;

import com.warehouseexport.localaws.redshift.SqlLexer.Kind;
import com.warehouseexport.localaws.redshift.SqlLexer.Token;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed {@code UNLOAD ('query') TO 's3://bucket/prefix' option...} statement. Options are case-insensitive
 * and may come in any order. The query literal follows Redshift's string rules (see {@link SqlLexer}); its text
 * is Redshift SQL again, with its own literals, and is translated later like any other statement.
 */
record UnloadCommand(
    String query,
    String bucket,
    String keyPrefix,
    Format format,
    boolean header,
    Character delimiter,
    Compression compression,
    boolean manifest,
    boolean manifestVerbose,
    boolean parallel,
    long maxFileSize,
    boolean allowOverwrite,
    boolean cleanPath,
    String iamRole) {

    enum Format { TEXT, CSV, PARQUET, JSON }

    enum Compression { NONE, GZIP, ZSTD }

    static final long MB = 1024L * 1024L;
    static final long MIN_FILE_SIZE = 5 * MB;
    /** Redshift's largest (and default) file size, 6.2 GB. */
    static final long MAX_FILE_SIZE = (long) (6.2 * 1024 * MB);

    /** Options Redshift has that this emulator refuses rather than ignores. */
    private static final Set<String> UNSUPPORTED = Set.of("PARTITION", "FIXEDWIDTH", "ENCRYPTED", "KMS_KEY_ID",
        "MASTER_SYMMETRIC_KEY", "BZIP2", "ADDQUOTES", "NULL", "ESCAPE", "REGION", "ROWGROUPSIZE", "CREDENTIALS",
        "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN", "EXTENSION");

    /** An UNLOAD that cannot run; the message is the statement's Error, Redshift-style. */
    static final class UnloadException extends Exception {
        UnloadException(String message) {
            super(message);
        }

        UnloadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static boolean isUnload(List<Token> tokens) {
        return tokens.stream().filter(t -> !t.isBlank()).findFirst().map(t -> t.isWord("unload")).orElse(false);
    }

    static UnloadCommand parse(List<Token> allTokens) throws UnloadException {
        return new Parser(allTokens.stream().filter(t -> !t.isBlank() && t.kind() != Kind.SEMICOLON).toList())
            .parse();
    }

    /** File name suffix Redshift appends to each part. */
    String extension() {
        String ext = format == Format.PARQUET ? ".parquet" : "";
        return switch (compression) {
            case GZIP -> ext + ".gz";
            case ZSTD -> ext + ".zst";
            case NONE -> ext;
        };
    }

    private static final class Parser {
        private final List<Token> tokens;
        private int pos;
        private final Set<String> seen = new HashSet<>();

        private String query;
        private String bucket;
        private String keyPrefix;
        private Format format;
        private boolean header;
        private Character delimiter;
        private Compression compression = Compression.NONE;
        private boolean manifest;
        private boolean verbose;
        private Boolean parallel;
        private Long maxFileSize;
        private boolean allowOverwrite;
        private boolean cleanPath;
        private String iamRole;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        UnloadCommand parse() throws UnloadException {
            expectWord("unload");
            expect(Kind.LPAREN);
            query = expect(Kind.STRING).value();
            expect(Kind.RPAREN);
            expectWord("to");
            parseTarget(expect(Kind.STRING).value());
            while (pos < tokens.size()) {
                option();
            }
            validate();
            return new UnloadCommand(query, bucket, keyPrefix, format == null ? Format.TEXT : format, header,
                delimiter, compression, manifest, verbose, parallel == null || parallel,
                maxFileSize == null ? MAX_FILE_SIZE : maxFileSize, allowOverwrite, cleanPath, iamRole);
        }

        private void parseTarget(String url) throws UnloadException {
            if (!url.startsWith("s3://") || url.length() <= 5) {
                throw new UnloadException("ERROR: Invalid S3 path \"" + url + "\": expected s3://bucket/prefix");
            }
            String rest = url.substring(5);
            int slash = rest.indexOf('/');
            bucket = slash < 0 ? rest : rest.substring(0, slash);
            keyPrefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (bucket.isEmpty()) {
                throw new UnloadException("ERROR: Invalid S3 path \"" + url + "\": the bucket name is missing");
            }
        }

        private void option() throws UnloadException {
            Token t = tokens.get(pos);
            if (t.kind() != Kind.WORD) {
                throw syntaxError(t);
            }
            String word = t.text().toUpperCase(Locale.ROOT);
            if (UNSUPPORTED.contains(word)) {
                throw new UnloadException("ERROR: UNLOAD option " + word + " is not supported by the local "
                    + "Redshift emulator (supported: IAM_ROLE, FORMAT CSV|PARQUET|JSON, HEADER, DELIMITER, GZIP, "
                    + "ZSTD, MANIFEST [VERBOSE], PARALLEL, MAXFILESIZE, ALLOWOVERWRITE, CLEANPATH)");
            }
            pos++;
            switch (word) {
                case "IAM_ROLE" -> {
                    once("IAM_ROLE");
                    Token role = next();
                    if (role.isWord("default")) {
                        iamRole = "default";
                    } else if (role.kind() == Kind.STRING) {
                        iamRole = role.value();
                        if (!iamRole.startsWith("arn:aws:iam::")) {
                            throw new UnloadException("ERROR: Invalid IAM_ROLE \"" + iamRole
                                + "\": expected default or arn:aws:iam::<account-id>:role/<role-name>");
                        }
                    } else {
                        throw syntaxError(role);
                    }
                }
                case "FORMAT" -> {
                    if (peekWord("as")) {
                        pos++;
                    }
                    Token f = next();
                    String name = f.kind() == Kind.WORD ? f.text().toUpperCase(Locale.ROOT) : "";
                    if (!Set.of("CSV", "PARQUET", "JSON").contains(name)) {
                        throw syntaxError(f);
                    }
                    setFormat(Format.valueOf(name));
                }
                case "CSV", "PARQUET", "JSON" -> setFormat(Format.valueOf(word));
                case "HEADER" -> {
                    once(word);
                    header = true;
                }
                case "DELIMITER" -> {
                    once(word);
                    if (peekWord("as")) {
                        pos++;
                    }
                    Token d = next();
                    if (d.kind() != Kind.STRING) {
                        throw syntaxError(d);
                    }
                    if (d.value().length() != 1) {
                        throw new UnloadException("ERROR: DELIMITER must be a single character");
                    }
                    delimiter = d.value().charAt(0);
                }
                case "GZIP", "ZSTD" -> {
                    once("compression");
                    compression = Compression.valueOf(word);
                }
                case "MANIFEST" -> {
                    once(word);
                    manifest = true;
                    if (peekWord("verbose")) {
                        pos++;
                        verbose = true;
                    }
                }
                case "PARALLEL" -> {
                    once(word);
                    parallel = true;
                    if (pos < tokens.size()) {
                        Token v = tokens.get(pos);
                        if (v.isWord("on") || v.isWord("true")) {
                            pos++;
                        } else if (v.isWord("off") || v.isWord("false")) {
                            pos++;
                            parallel = false;
                        }
                    }
                }
                case "MAXFILESIZE" -> {
                    once(word);
                    if (peekWord("as")) {
                        pos++;
                    }
                    maxFileSize = fileSize(next());
                }
                case "ALLOWOVERWRITE" -> {
                    once(word);
                    allowOverwrite = true;
                }
                case "CLEANPATH" -> {
                    once(word);
                    cleanPath = true;
                }
                default -> throw syntaxError(t);
            }
        }

        private long fileSize(Token amount) throws UnloadException {
            if (amount.kind() != Kind.NUMBER) {
                throw syntaxError(amount);
            }
            double value = Double.parseDouble(amount.text());
            long unit = MB;
            if (peekWord("mb")) {
                pos++;
            } else if (peekWord("gb")) {
                pos++;
                unit = 1024 * MB;
            }
            long bytes = (long) (value * unit);
            if (bytes < MIN_FILE_SIZE || bytes > MAX_FILE_SIZE) {
                throw new UnloadException("ERROR: MAXFILESIZE must be between 5 MB and 6.2 GB");
            }
            return bytes;
        }

        private void setFormat(Format f) throws UnloadException {
            once("FORMAT");
            format = f;
        }

        private void validate() throws UnloadException {
            if (iamRole == null) {
                throw new UnloadException("ERROR: UNLOAD needs authorization: IAM_ROLE default or "
                    + "IAM_ROLE 'arn:aws:iam::<account-id>:role/<role-name>'");
            }
            if (format == Format.PARQUET) {
                refuseWith("PARQUET", "DELIMITER", delimiter != null);
                refuseWith("PARQUET", "HEADER", header);
                refuseWith("PARQUET", compression.name(), compression != Compression.NONE);
            }
            if (format == Format.JSON) {
                refuseWith("JSON", "DELIMITER", delimiter != null);
                refuseWith("JSON", "HEADER", header);
            }
            if (cleanPath && allowOverwrite) {
                throw new UnloadException("ERROR: CLEANPATH cannot be used together with ALLOWOVERWRITE");
            }
            List<Token> inner;
            try {
                inner = SqlLexer.lex(query).stream().filter(t -> !t.isBlank()).toList();
            } catch (SqlLexer.SqlSyntaxException e) {
                throw new UnloadException("ERROR: " + e.getMessage());
            }
            if (inner.isEmpty() || !(inner.get(0).isWord("select") || inner.get(0).isWord("with")
                    || inner.get(0).kind() == Kind.LPAREN)) {
                throw new UnloadException(inner.isEmpty() ? "ERROR: syntax error at end of input"
                    : "ERROR: syntax error at or near \"" + inner.get(0).text() + "\"");
            }
            for (Token t : inner) {
                if (t.kind() == Kind.PARAM) {
                    // Data API parameters are not substituted inside the UNLOAD literal, so Redshift sees ':'.
                    throw new UnloadException("ERROR: syntax error at or near \":\"");
                }
            }
            int depth = 0;
            for (Token t : inner) {
                if (t.kind() == Kind.LPAREN) {
                    depth++;
                } else if (t.kind() == Kind.RPAREN) {
                    depth--;
                } else if (depth == 0 && t.isWord("limit")) {
                    throw new UnloadException("ERROR: Limit clause is not supported: " + query);
                }
            }
        }

        private void refuseWith(String formatName, String option, boolean present) throws UnloadException {
            if (present) {
                throw new UnloadException("ERROR: " + option + " cannot be used with " + formatName + " format");
            }
        }

        private void once(String option) throws UnloadException {
            if (!seen.add(option)) {
                throw new UnloadException("ERROR: conflicting or redundant options");
            }
        }

        private boolean peekWord(String word) {
            return pos < tokens.size() && tokens.get(pos).isWord(word);
        }

        private Token next() throws UnloadException {
            if (pos >= tokens.size()) {
                throw new UnloadException("ERROR: syntax error at end of input");
            }
            return tokens.get(pos++);
        }

        private Token expect(Kind kind) throws UnloadException {
            Token t = next();
            if (t.kind() != kind) {
                throw syntaxError(t);
            }
            return t;
        }

        private void expectWord(String word) throws UnloadException {
            Token t = next();
            if (!t.isWord(word)) {
                throw syntaxError(t);
            }
        }

        private static UnloadException syntaxError(Token t) {
            return new UnloadException("ERROR: syntax error at or near \"" + t.text() + "\"");
        }
    }
}
