package dev.align4j.core.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard's event files. Each record is
 * {@code uint64 length | uint32 masked_crc32c(length bytes) | data | uint32 masked_crc32c(data)},
 * all little-endian. The mask (rotate right by 15, add 0xa282ead8) is TensorFlow's, so that a CRC
 * computed over data that itself holds CRCs does not come out trivially.
 */
public final class TfRecord {

    private static final int MASK_DELTA = 0xa282ead8;
    private static final int HEADER = Long.BYTES + Integer.BYTES;

    private TfRecord() {
    }

    /** TensorFlow's masked CRC32C of {@code bytes[off, off+len)}, as an unsigned 32-bit value in an int. */
    public static int maskedCrc32c(byte[] bytes, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, off, len);
        int c = (int) crc.getValue();
        return Integer.rotateRight(c, 15) + MASK_DELTA;
    }

    /** One framed record holding {@code data}. */
    public static byte[] frame(byte[] data) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER + data.length + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(data.length);
        buf.putInt(maskedCrc32c(buf.array(), 0, Long.BYTES));
        buf.put(data);
        buf.putInt(maskedCrc32c(data, 0, data.length));
        return buf.array();
    }

    /**
     * The data of every record in {@code file}, in order. Checks both CRCs of each record.
     *
     * @throws IOException on a CRC mismatch or a truncated record, naming the byte offset
     */
    public static List<byte[]> readAll(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (buf.hasRemaining()) {
            int at = buf.position();
            if (buf.remaining() < HEADER) {
                throw new IOException(file + ": truncated record header at byte " + at);
            }
            long length = buf.getLong();
            int lengthCrc = buf.getInt();
            if (lengthCrc != maskedCrc32c(buf.array(), at, Long.BYTES)) {
                throw new IOException(file + ": bad length CRC at byte " + at);
            }
            if (length < 0 || length > buf.remaining() - Integer.BYTES) {
                throw new IOException(file + ": truncated record of " + length + " bytes at byte " + at);
            }
            byte[] data = new byte[(int) length];
            buf.get(data);
            if (buf.getInt() != maskedCrc32c(data, 0, data.length)) {
                throw new IOException(file + ": bad data CRC in the record at byte " + at);
            }
            records.add(data);
        }
        return records;
    }
}
