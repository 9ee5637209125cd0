package dev.align4j.core.metrics;

import dev.align4j.core.metrics.proto.Event;
import dev.align4j.core.metrics.proto.Summary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back what {@link TensorBoardWriter} writes (tests, tools): every {@link Event} of an event
 * file with both CRCs of each record checked, or only the scalars.
 */
public final class TensorBoardReader {

    /** One scalar of an event file. */
    public record Scalar(String tag, long step, float value, double wallTime) {
    }

    private TensorBoardReader() {
    }

    /** Every event of {@code file}, in order, the file-version event first. */
    public static List<Event> events(Path file) {
        try {
            List<Event> out = new ArrayList<>();
            for (byte[] data : TfRecord.readAll(file)) {
                out.add(Event.parseFrom(data));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TensorBoard events from " + file, e);
        }
    }

    /** The scalar values of {@code file}, in the order they were written. */
    public static List<Scalar> scalars(Path file) {
        List<Scalar> out = new ArrayList<>();
        for (Event e : events(file)) {
            if (e.hasSummary()) {
                for (Summary.Value v : e.getSummary().getValueList()) {
                    out.add(new Scalar(v.getTag(), e.getStep(), v.getSimpleValue(), e.getWallTime()));
                }
            }
        }
        return out;
    }
}
