package io.mintaro.cli.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.Set;

/**
 * The stored sign-in: {@code collector} and {@code key} in {@code config.properties} of
 * {@code $MINTARO_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/mintaro}, else {@code ~/.config/mintaro};
 * the file is created with mode 600. {@code MINTARO_COLLECTOR} and {@code MINTARO_API_KEY} override it.
 */
final class Config {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;

    private Config(Path file) {
        this.file = file;
    }

    public static Config of(Context ctx) {
        String dir = ctx.env("MINTARO_CONFIG_DIR");
        Path base;
        if (dir != null) {
            base = Path.of(dir);
        } else if (ctx.env("XDG_CONFIG_HOME") != null) {
            base = Path.of(ctx.env("XDG_CONFIG_HOME"), "mintaro");
        } else {
            String home = ctx.env("HOME") != null ? ctx.env("HOME") : System.getProperty("user.home");
            base = Path.of(home, ".config", "mintaro");
        }
        return new Config(base.resolve("config.properties"));
    }

    public Path file() {
        return file;
    }

    /** The stored properties; empty when there is no file. */
    public Properties load() {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new CliException(CliException.USAGE, "cannot read " + file + ": " + e.getMessage());
            }
        }
        return p;
    }

    /** Writes {@code collector} and {@code key}: a new file of mode 600, moved over the old one. */
    public void save(String collector, String key) {
        Properties p = new Properties();
        p.setProperty("collector", collector);
        p.setProperty("key", key);
        try {
            boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(file.getParent())) {
                if (posix) {
                    Files.createDirectories(file.getParent(),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(file.getParent());
                }
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (posix) {
                FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
                Files.createFile(tmp, attr);
                Files.setPosixFilePermissions(tmp, OWNER_ONLY); // whatever the umask
            } else {
                Files.createFile(tmp);
            }
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
                p.store(w, "Mintaro CLI sign-in (mintaro login); keep private");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new CliException(CliException.USAGE, "cannot write " + file + ": " + e.getMessage() + " exists");
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Removes the file; false when there was none. */
    public boolean delete() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot remove " + file + ": " + e.getMessage());
        }
    }
}
