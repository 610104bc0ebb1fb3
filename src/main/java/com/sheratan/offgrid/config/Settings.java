package com.sheratan.offgrid.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The resolved settings of one role. Sources, later wins: {@code application.properties} on the
 * classpath, a {@code .env} file in the working folder, real environment variables, then explicit
 * overrides (command line, tests). A key {@code offgrid.broker-url} is overridden by the variable
 * {@code OFFGRID_BROKER_URL}: upper case, dots and dashes become underscores.
 *
 * <p>Keys ending in {@code -dir} or {@code -file} name folders and files; relative values are
 * resolved against {@code offgrid.home} (default: the working folder).
 */
public final class Settings {

    public static final String HOME = "offgrid.home";

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Settings as a real start sees them: classpath defaults, {@code .env}, the process environment. */
    public static Settings load(Map<String, String> overrides) {
        Path home = Path.of(overrides.getOrDefault(HOME, System.getenv().getOrDefault("OFFGRID_HOME", ".")));
        return load(home, System.getenv(), overrides);
    }

    public static Settings load(Path home, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> resolved = new LinkedHashMap<>(classpathDefaults());
        Map<String, String> dotEnv = DotEnvFile.read(home.resolve(".env"));
        for (Map.Entry<String, String> entry : resolved.entrySet()) {
            String variable = environmentName(entry.getKey());
            if (env.containsKey(variable)) {
                entry.setValue(env.get(variable));
            } else if (dotEnv.containsKey(variable)) {
                entry.setValue(dotEnv.get(variable));
            }
        }
        resolved.putAll(overrides);
        resolved.put(HOME, home.toAbsolutePath().normalize().toString());
        return new Settings(resolveFolders(resolved));
    }

    /** The environment variable that overrides a key: {@code offgrid.broker-url} → {@code OFFGRID_BROKER_URL}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Settings with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(overrides);
        return new Settings(resolveFolders(merged));
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("setting '" + key + "' is not defined in application.properties");
        }
        return value;
    }

    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public int getInt(String key) {
        return SettingValues.intNumber(key, get(key));
    }

    public long getLong(String key) {
        return SettingValues.wholeNumber(key, get(key));
    }

    public double getDouble(String key) {
        return SettingValues.number(key, get(key));
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key).trim());
    }

    public Path path(String key) {
        return Path.of(get(key));
    }

    public Path home() {
        return Path.of(get(HOME));
    }

    public Map<String, String> asMap() {
        return values;
    }

    private static Map<String, String> resolveFolders(Map<String, String> raw) {
        Path home = Path.of(raw.getOrDefault(HOME, ".")).toAbsolutePath().normalize();
        Map<String, String> out = new LinkedHashMap<>(raw);
        out.replaceAll((key, value) -> isFolderKey(key) && !value.isBlank()
                ? home.resolve(value).normalize().toString()
                : value);
        return out;
    }

    private static boolean isFolderKey(String key) {
        return key.startsWith("offgrid.") && (key.endsWith("-dir") || key.endsWith("-file"));
    }

    private static Map<String, String> classpathDefaults() {
        Properties properties = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties", e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, properties.getProperty(k).trim()));
        return out;
    }

    /** The {@code .env} file: {@code NAME=value} lines, {@code #} comments, optional quotes. */
    static final class DotEnvFile {
        private DotEnvFile() {
        }

        static Map<String, String> read(Path file) {
            Map<String, String> out = new LinkedHashMap<>();
            if (!Files.isRegularFile(file)) {
                return out;
            }
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String trimmed = line.strip();
                    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                        continue;
                    }
                    if (trimmed.startsWith("export ")) {
                        trimmed = trimmed.substring("export ".length()).strip();
                    }
                    int eq = trimmed.indexOf('=');
                    if (eq <= 0) {
                        continue;
                    }
                    String name = trimmed.substring(0, eq).strip();
                    String value = trimmed.substring(eq + 1).strip();
                    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                        value = value.substring(1, value.length() - 1);
                    }
                    out.put(name, value);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            return out;
        }
    }
}
