package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Output paths from the command line, checked before any work (loading, sampling, scoring), so that a
 * bad path is exit 2 at once instead of a failure after the work is done.
 */
final class Outputs {

    private Outputs() {
    }

    /** {@code path} as an output file: not a folder, and its parent, if it exists, a folder. */
    static Path file(String flag, Path path) {
        if (Files.isDirectory(path)) {
            throw new UserInputException(flag + ": " + path + ": is a folder; give a file name");
        }
        parentIsFolder(flag, path);
        return path;
    }

    /** {@code path} as an output folder: not an existing file, and its parent, if it exists, a folder. */
    static Path folder(String flag, Path path) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new UserInputException(flag + ": " + path + ": is a file, not a folder");
        }
        parentIsFolder(flag, path);
        return path;
    }

    private static void parentIsFolder(String flag, Path path) {
        Path parent = path.toAbsolutePath().getParent();
        for (Path p = parent; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UserInputException(flag + ": " + path + ": " + p + " is a file, not a folder");
                }
                return;
            }
        }
    }
}
