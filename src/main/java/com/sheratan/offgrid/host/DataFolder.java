package com.sheratan.offgrid.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.AtomicFile;
import com.sheratan.offgrid.security.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;

/**
 * The kinds {@code write_file}, {@code read_file} and {@code list_files}, confined to the host's
 * data folder ({@code <data-dir>/<node-id>/}). {@code args.path} must be relative and stay inside:
 * absolute paths, {@code ..}, and links whose real target is outside are refused with
 * {@code INVALID_ARGS} before anything is touched. Writes go to a temporary file in the same folder
 * and are renamed into place, so no half-written file ever carries the final name.
 */
public final class DataFolder {
    private static final long MIB = 1024L * 1024L;
    private static final double DEFAULT_LIMIT_MB = 10;

    private final Path root;
    private final Path realRoot;

    public DataFolder(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toAbsolutePath().normalize();
            this.realRoot = this.root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + root + ": " + e.getMessage(), e);
        }
    }

    /** {@code {path, content | content_b64, limit_mb}} → {@code {written_relpath, bytes, sha256}}. */
    public JobOutcome write(@ExchangeProperty(RunGate.ARGS) JsonNode args) {
        Path target = resolve(requiredPath(args));
        byte[] data = Base64Args.bytes(args, "content", "content_b64",
                "write_file needs args.content (text) or args.content_b64 (Base64)");
        checkLimit(data.length, args);
        if (target.equals(realRoot)) {
            throw JobFailure.invalidArgs("args.path names the data folder itself, not a file");
        }
        try {
            Path parent = target.getParent();
            createInside(parent);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw JobFailure.invalidArgs("args.path '" + relative(target) + "' is a folder");
            }
            // on disk before the job answers that it wrote it; a link at the target itself is replaced,
            // never written through
            AtomicFile.write(target, data, AtomicFile.Sync.DURABLE);
        } catch (IOException e) {
            throw new JobFailure(RunErrorCode.FAILED, "cannot write " + relative(target) + ": " + e.getMessage(), e);
        }
        String sha = Digests.sha256Hex(data);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("written_relpath", relative(target));
        result.put("bytes", data.length);
        result.put("sha256", sha);
        return new JobOutcome("wrote " + data.length + " bytes to " + relative(target), result);
    }

    /** {@code {path, limit_mb}} → output = the file as UTF-8 text; result {@code {path, bytes, sha256, content_b64}}. */
    public JobOutcome read(@ExchangeProperty(RunGate.ARGS) JsonNode args) {
        Path target = resolve(requiredPath(args));
        if (!Files.isRegularFile(target)) {
            throw JobFailure.invalidArgs("args.path '" + relative(target) + "' is not a file in the data folder");
        }
        byte[] data;
        try {
            checkLimit(Files.size(target), args);
            data = Files.readAllBytes(target);
        } catch (IOException e) {
            throw new JobFailure(RunErrorCode.FAILED, "cannot read " + relative(target) + ": " + e.getMessage(), e);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("path", relative(target));
        result.put("bytes", data.length);
        result.put("sha256", Digests.sha256Hex(data));
        result.put("content_b64", Base64.getEncoder().encodeToString(data));
        return new JobOutcome(new String(data, StandardCharsets.UTF_8), result);
    }

    /** {@code {path}} (default: the data folder itself) → the entries, sorted by name. */
    public JobOutcome list(@ExchangeProperty(RunGate.ARGS) JsonNode args) {
        JsonNode given = args.get("path");
        Path folder = given == null || given.isNull() || given.asText().isBlank() ? realRoot : resolve(requiredPath(args));
        if (!Files.isDirectory(folder)) {
            throw JobFailure.invalidArgs("args.path '" + relative(folder) + "' is not a folder in the data folder");
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    continue;
                }
                BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", name);
                entry.put("type", attributes.isDirectory() ? "dir" : attributes.isSymbolicLink() ? "link" : "file");
                entry.put("bytes", attributes.isRegularFile() ? attributes.size() : 0);
                entries.add(entry);
            }
        } catch (IOException e) {
            throw new JobFailure(RunErrorCode.FAILED, "cannot list " + relative(folder) + ": " + e.getMessage(), e);
        }
        entries.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
        StringBuilder output = new StringBuilder();
        for (Map<String, Object> entry : entries) {
            output.append(entry.get("name")).append("dir".equals(entry.get("type")) ? "/" : "").append('\n');
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("path", relative(folder));
        result.put("entries", entries);
        return new JobOutcome(output.toString(), result);
    }

    private static String requiredPath(JsonNode args) {
        JsonNode path = args.get("path");
        if (path == null || !path.isTextual() || path.textValue().isBlank()) {
            throw JobFailure.invalidArgs("args.path is required: a path relative to the host's data folder");
        }
        return path.textValue();
    }

    /**
     * The real location of a relative path inside the data folder. Refuses absolute paths, any
     * {@code ..} segment, and paths whose existing part resolves (through links) outside the folder.
     */
    Path resolve(String relPath) {
        if (relPath.indexOf('\0') >= 0 || relPath.startsWith("/") || relPath.startsWith("\\") || relPath.matches("^[A-Za-z]:.*")) {
            throw JobFailure.invalidArgs("args.path must be relative to the data folder, was '" + relPath + "'");
        }
        Path relative;
        try {
            relative = Path.of(relPath.replace('\\', '/'));
        } catch (InvalidPathException e) {
            throw JobFailure.invalidArgs("args.path is not a valid path: " + e.getMessage());
        }
        if (relative.isAbsolute()) {
            throw JobFailure.invalidArgs("args.path must be relative to the data folder, was '" + relPath + "'");
        }
        for (Path part : relative) {
            if (part.toString().equals("..")) {
                throw JobFailure.invalidArgs("args.path must not contain '..', was '" + relPath + "'");
            }
        }
        Path target = realRoot.resolve(relative).normalize();
        // the deepest part that exists decides where the path really leads
        Path existing = target;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            Path real = existing == null ? null : existing.toRealPath();
            if (real == null || !real.startsWith(realRoot)) {
                throw outside(relPath);
            }
        } catch (IOException e) {
            // a dangling link: where it points cannot be checked, so it is refused
            throw outside(relPath);
        }
        return target;
    }

    private void createInside(Path folder) throws IOException {
        Files.createDirectories(folder);
        if (!folder.toRealPath().startsWith(realRoot)) {
            throw outside(relative(folder));
        }
    }

    private static void checkLimit(long bytes, JsonNode args) {
        double limitMb = DEFAULT_LIMIT_MB;
        JsonNode limit = args.get("limit_mb");
        if (limit != null && !limit.isNull()) {
            if (!limit.isNumber() || limit.doubleValue() <= 0) {
                throw JobFailure.invalidArgs("args.limit_mb must be a positive number, was " + limit);
            }
            limitMb = limit.doubleValue();
        }
        if (bytes > limitMb * MIB) {
            throw JobFailure.invalidArgs(bytes + " bytes is over the limit of " + limitMb + " MB (args.limit_mb)");
        }
    }

    private static JobFailure outside(String relPath) {
        return JobFailure.invalidArgs("args.path '" + relPath + "' leads outside the host's data folder");
    }

    private String relative(Path path) {
        Path rel = path.startsWith(realRoot) ? realRoot.relativize(path) : root.relativize(path);
        String text = rel.toString().replace('\\', '/');
        return text.isEmpty() ? "." : text;
    }
}
