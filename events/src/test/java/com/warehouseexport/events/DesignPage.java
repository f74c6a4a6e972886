package com.warehouseexport.events;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of docs/design.md the template must follow: function modules, environment variables, states. */
final class DesignPage {

    /** A function module row of the "Modules and packages" table. */
    record FunctionModule(String module, String javaPackage, String handlerClass) {
        /** The short name the configuration table uses in its "used by" column: receiver, processor, ... */
        String role() {
            return javaPackage.substring(javaPackage.lastIndexOf('.') + 1);
        }

        String handler() {
            return javaPackage + "." + handlerClass + "::handleRequest";
        }

        String codeUri() {
            return module + "/target/" + module + ".jar";
        }
    }

    /** A variable of the configuration table and the roles ("all", "receiver", ...) that use it. */
    record Variable(String name, Set<String> usedBy) {
        boolean isUsedBy(String role) {
            return usedBy.contains("all") || usedBy.contains(role);
        }
    }

    private static final Pattern FUNCTION_ROW = Pattern.compile(
            "^\\|\\s*`([a-z-]+)`\\s*\\|\\s*`(com\\.warehouseexport\\.[a-z.]+)`\\s*\\|\\s*`(\\w+Handler)`");
    private static final Pattern BACKTICKED = Pattern.compile("`([A-Z_][A-Z0-9_]*)`");
    private static final Pattern STATE = Pattern.compile("\\b[A-Z]{4,}\\b");

    private final List<String> lines;

    private DesignPage(String text) {
        this.lines = text.lines().toList();
    }

    static DesignPage load(Path file) {
        return new DesignPage(ProjectFiles.read(file));
    }

    /** Function modules by module name. */
    Map<String, FunctionModule> functionModules() {
        Map<String, FunctionModule> modules = new LinkedHashMap<>();
        for (String line : section("## Modules and packages")) {
            Matcher row = FUNCTION_ROW.matcher(line);
            if (row.find()) {
                modules.put(row.group(1), new FunctionModule(row.group(1), row.group(2), row.group(3)));
            }
        }
        return modules;
    }

    /** Variables of the configuration table by name. */
    Map<String, Variable> variables() {
        Map<String, Variable> variables = new LinkedHashMap<>();
        for (String line : section("## Configuration")) {
            String[] cells = line.split("\\|");
            // "| names | used by | meaning |" splits into "", names, used by, meaning.
            if (!line.startsWith("|") || cells.length < 4 || cells[1].isBlank() || cells[1].contains("---")) {
                continue;
            }
            Set<String> usedBy = new LinkedHashSet<>();
            for (String role : cells[2].split(",")) {
                usedBy.add(role.trim());
            }
            String prefix = null;
            Matcher name = BACKTICKED.matcher(cells[1]);
            while (name.find()) {
                String token = name.group(1);
                if (token.startsWith("_") && prefix != null) {
                    // "`AWS_ENDPOINT_URL_DYNAMODB`, `_SQS`" abbreviates AWS_ENDPOINT_URL_SQS.
                    token = prefix + token;
                } else {
                    prefix = token.contains("_") ? token.substring(0, token.lastIndexOf('_')) : token;
                }
                variables.put(token, new Variable(token, usedBy));
            }
        }
        return variables;
    }

    /** The request states, in the order the page lists them. */
    List<String> states() {
        for (String line : section("## Control table")) {
            if (line.startsWith("- States:")) {
                List<String> states = new ArrayList<>();
                Matcher state = STATE.matcher(line);
                while (state.find()) {
                    states.add(state.group());
                }
                return states;
            }
        }
        throw new AssertionError("design page lists no states");
    }

    private List<String> section(String heading) {
        int start = lines.indexOf(heading);
        if (start < 0) {
            // Headings may carry more words ("## Configuration (environment variables, ...)").
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(heading)) {
                    start = i;
                    break;
                }
            }
        }
        if (start < 0) {
            throw new AssertionError("design page has no section " + heading);
        }
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("## ")) {
            end++;
        }
        return lines.subList(start + 1, end);
    }
}
