package dev.align4j.annotate;

import dev.align4j.core.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads several labels files into one {@link LabelSet}, checking that a pair id means one pair everywhere. */
public final class LabelFiles {

    private LabelFiles() {
    }

    public static LabelSet read(List<Path> files) {
        if (files.isEmpty()) {
            throw new UserInputException("no labels files given");
        }
        List<LabelEntry> all = new ArrayList<>();
        Map<String, LabelEntry> text = new HashMap<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new UserInputException(f + ": labels file not found");
            }
            for (LabelEntry e : LabelLog.read(f).entries()) {
                if (e.type() == LabelEntry.Type.LABEL) {
                    LabelEntry first = text.putIfAbsent(e.pairId(), e);
                    if (first != null && !(first.prompt().equals(e.prompt()) && first.a().equals(e.a())
                            && first.b().equals(e.b()))) {
                        throw new UserInputException(f + ": pair " + e.pairId() + " has other text than in an "
                                + "earlier label: the files label different pairs under one id");
                    }
                }
                all.add(e);
            }
        }
        return LabelSet.of(all);
    }
}
