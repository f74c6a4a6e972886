package com.warehouseexport.localruntime.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local outbox for people: {@code GET /_local/outbox} (JSON, oldest first) and {@code /_local/outbox.html}
 * (a page listing each message with its links clickable). Everything from a message is escaped; only http(s)
 * links become anchors, and an HTML body is shown in a sandboxed frame.
 */
public final class OutboxPages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>]+");

    private OutboxPages() {
    }

    public static String json(List<OutboxEntry> messages) {
        ArrayNode array = JSON.createArrayNode();
        for (OutboxEntry message : messages) {
            ObjectNode node = array.addObject();
            node.put("id", message.id());
            node.put("source", message.source());
            ArrayNode to = node.putArray("to");
            message.to().forEach(to::add);
            node.put("subject", message.subject());
            node.put("text", message.text());
            node.put("html", message.html());
            node.put("sentAt", message.sentAt() == null ? null : message.sentAt().toString());
        }
        return array.toString();
    }

    public static String html(List<OutboxEntry> messages) {
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .append("<title>Local outbox</title><style>")
            .append("body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}")
            .append("article{border:1px solid #ccc;border-radius:6px;padding:1em;margin:1em 0}")
            .append("dl{display:grid;grid-template-columns:6em 1fr;margin:0 0 .8em}dt{color:#666}dd{margin:0}")
            .append("pre{white-space:pre-wrap;background:#f6f6f6;padding:.8em}")
            .append("iframe{width:100%;height:16em;border:1px solid #ddd}")
            .append("</style></head><body>\n<h1>Local outbox</h1>\n<p>")
            .append(messages.size()).append(messages.size() == 1 ? " message" : " messages")
            .append(" sent through the local SES, oldest first. <a href=\"/_local/outbox\">JSON</a></p>\n");
        for (OutboxEntry message : messages) {
            page.append("<article id=\"").append(escape(message.id())).append("\">\n<h2>")
                .append(escape(message.subject())).append("</h2>\n<dl>")
                .append("<dt>From</dt><dd>").append(escape(message.source())).append("</dd>")
                .append("<dt>To</dt><dd>").append(escape(String.join(", ", message.to()))).append("</dd>")
                .append("<dt>Sent</dt><dd>").append(escape(String.valueOf(message.sentAt()))).append("</dd>")
                .append("<dt>Id</dt><dd>").append(escape(message.id())).append("</dd></dl>\n");
            List<String> links = links(message);
            if (!links.isEmpty()) {
                page.append("<p>Links:</p><ul>");
                for (String link : links) {
                    page.append("<li><a href=\"").append(escape(link)).append("\">").append(escape(link))
                        .append("</a></li>");
                }
                page.append("</ul>\n");
            }
            if (message.text() != null) {
                page.append("<pre>").append(linkify(message.text())).append("</pre>\n");
            }
            if (message.html() != null) {
                page.append("<iframe sandbox=\"allow-popups allow-popups-to-escape-sandbox\" title=\"HTML body\" ")
                    .append("srcdoc=\"").append(escape(message.html())).append("\"></iframe>\n");
            }
            page.append("</article>\n");
        }
        return page.append("</body></html>\n").toString();
    }

    /** The http(s) links in the text and HTML bodies, each once. */
    static List<String> links(OutboxEntry message) {
        Set<String> links = new LinkedHashSet<>();
        for (String body : new String[] {message.text(), message.html()}) {
            if (body != null) {
                Matcher m = URL.matcher(body.replace("&amp;", "&"));
                while (m.find()) {
                    links.add(trimPunctuation(m.group()));
                }
            }
        }
        return new ArrayList<>(links);
    }

    /** Escapes text and turns its http(s) URLs into anchors. */
    static String linkify(String text) {
        StringBuilder out = new StringBuilder();
        Matcher m = URL.matcher(text);
        int last = 0;
        while (m.find()) {
            String url = trimPunctuation(m.group());
            out.append(escape(text.substring(last, m.start())));
            out.append("<a href=\"").append(escape(url)).append("\">").append(escape(url)).append("</a>");
            last = m.start() + url.length();
        }
        return out.append(escape(text.substring(last))).toString();
    }

    private static String trimPunctuation(String url) {
        String trimmed = url;
        while (!trimmed.isEmpty() && ".,;:)]}".indexOf(trimmed.charAt(trimmed.length() - 1)) >= 0) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
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
