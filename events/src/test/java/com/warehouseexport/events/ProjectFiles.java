package com.warehouseexport.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Files of the checkout the contract tests compare: template, OpenAPI document, design page, fixtures. */
final class ProjectFiles {

    private ProjectFiles() {
    }

    static Path root() {
        // Surefire passes the checkout root; from an IDE the working directory is usually the module.
        String configured = System.getProperty("project.root");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    static Path template() {
        return root().resolve("template.yaml");
    }

    static Path openApi() {
        return root().resolve("docs/openapi.yaml");
    }

    static Path designPage() {
        return root().resolve("docs/design.md");
    }

    static Path fixturesDir() {
        return root().resolve("events");
    }

    static Path fixture(String fileName) {
        return fixturesDir().resolve(fileName);
    }

    /** The API Gateway fixtures: {@code events/api-*.json}. */
    static List<Path> apiFixtures() {
        try (Stream<Path> files = Files.list(fixturesDir())) {
            return files.filter(p -> p.getFileName().toString().matches("api-.*\\.json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
