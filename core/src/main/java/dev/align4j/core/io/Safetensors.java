package dev.align4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reader and writer for the safetensors format, written here rather than taken from DJL so that
 * half-precision and bfloat16 checkpoints load (bf16 arrays crash DJL, see DJL_NOTES.md) and the
 * {@code __metadata__} entry that transformers requires is written.
 *
 * <p>Layout: an 8-byte little-endian header length N, N bytes of JSON mapping each tensor name to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the end of the
 * header) plus an optional {@code "__metadata__"} string map, then the raw little-endian data.
 */
public final class Safetensors {

    /** A plain Jackson mapper (no naming strategy) for headers and Hugging Face JSON files. */
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;
    /** The largest finite float16 value. */
    private static final double FLOAT16_MAX = 65504.0;

    private Safetensors() {}

    /** One tensor's entry in a header. {@code begin}/{@code end} are absolute file offsets. */
    public record TensorInfo(String name, String dtype, Shape shape, long begin, long end) {}

    /** A parsed header: tensors in file order and the metadata map. */
    public record Header(Path file, Map<String, TensorInfo> tensors, Map<String, String> metadata) {}

    /** Reads and checks the header of {@code file}; no tensor data is read. */
    public static Header readHeader(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long n = lenBuf.flip().getLong();
            if (n <= 1 || n > MAX_HEADER || 8 + n > size) {
                throw bad(file, "header length " + n + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer json = ByteBuffer.allocate((int) n);
            readFully(ch, json, 8, file);
            JsonNode root = JSON.readTree(new String(json.array(), StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw bad(file, "header is not a JSON object");
            }
            long dataStart = 8 + n;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(
                            m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(e.getKey(), info(file, e.getKey(), e.getValue(), dataStart, size));
            }
            return new Header(file, tensors, metadata);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read safetensors file: " + e.getMessage(),
                    e);
        }
    }

    private static TensorInfo info(Path file, String name, JsonNode node, long dataStart,
            long fileSize) {
        JsonNode offsets = node.get("data_offsets");
        JsonNode shapeNode = node.get("shape");
        if (offsets == null || offsets.size() != 2 || shapeNode == null || !node.has("dtype")) {
            throw bad(file, "tensor " + name + " lacks dtype, shape or data_offsets");
        }
        long[] dims = new long[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shapeNode.get(i).asLong();
        }
        Shape shape = new Shape(dims);
        String dtype = node.get("dtype").asText();
        long begin = dataStart + offsets.get(0).asLong();
        long end = dataStart + offsets.get(1).asLong();
        if (begin > end || end > fileSize || end - begin != shape.size() * bytesPerElement(dtype)) {
            throw bad(file, "tensor " + name + " (" + dtype + " " + shape + ") has data_offsets "
                    + offsets + " that do not match its size or the file length " + fileSize);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** Bytes per element of a safetensors dtype name; -1 for one align4j does not read. */
    static int bytesPerElement(String dtype) {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16", "I16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> -1;
        };
    }

    /**
     * Reads one tensor onto {@code manager}. Floating-point tensors (F16, BF16, F32, F64) come back
     * as FLOAT32, integer ones (I64, I32) keep their type.
     */
    public static NDArray read(TensorInfo t, Path file, NDManager manager) {
        switch (t.dtype()) {
            case "I64": {
                long[] v = new long[(int) t.shape().size()];
                bytes(t, file).asLongBuffer().get(v);
                return manager.create(v, t.shape());
            }
            case "I32": {
                int[] v = new int[(int) t.shape().size()];
                bytes(t, file).asIntBuffer().get(v);
                return manager.create(v, t.shape());
            }
            default:
                return manager.create(readFloats(t, file), t.shape());
        }
    }

    /** A floating-point tensor's values as float32, row-major, converted from F16/BF16/F64. */
    public static float[] readFloats(TensorInfo t, Path file) {
        int n = (int) t.shape().size();
        float[] f = new float[n];
        switch (t.dtype()) {
            case "F32" -> bytes(t, file).asFloatBuffer().get(f);
            case "F16" -> {
                ByteBuffer buf = bytes(t, file);
                for (int i = 0; i < n; i++) {
                    f[i] = halfToFloat(buf.getShort());
                }
            }
            case "BF16" -> {
                // bfloat16 is the upper half of a float32
                ByteBuffer buf = bytes(t, file);
                for (int i = 0; i < n; i++) {
                    f[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                }
            }
            case "F64" -> {
                ByteBuffer buf = bytes(t, file);
                for (int i = 0; i < n; i++) {
                    f[i] = (float) buf.getDouble();
                }
            }
            default -> throw bad(file, "tensor " + t.name() + " has dtype " + t.dtype()
                    + "; align4j reads F32, F16, BF16 and F64 weights");
        }
        return f;
    }

    /** The raw little-endian bytes of one tensor. */
    private static ByteBuffer bytes(TensorInfo t, Path file) {
        long bytes = t.end() - t.begin();
        if (bytes > Integer.MAX_VALUE) {
            throw bad(file, "tensor " + t.name() + " is larger than 2 GiB, which align4j cannot read");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(ch, buf, t.begin(), file);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read tensor " + t.name() + ": "
                    + e.getMessage(), e);
        }
        return buf.flip();
    }

    /** IEEE 754 binary16 bits to float, subnormals, infinities and NaN included. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // subnormal: mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * Writes {@code tensors} in iteration order to {@code file} (through a temp file renamed at the
     * end, so a crash never leaves half a file). Floating-point arrays are stored as
     * {@code floatType} (FLOAT32 or FLOAT16); integer arrays keep their type.
     *
     * @param metadata string map stored as {@code __metadata__}; transformers needs
     *     {@code format: pt}, which is added when absent
     */
    public static void write(Path file, Map<String, NDArray> tensors, DataType floatType,
            Map<String, String> metadata) {
        if (floatType != DataType.FLOAT32 && floatType != DataType.FLOAT16) {
            throw new IllegalArgumentException("floatType must be FLOAT32 or FLOAT16: " + floatType);
        }
        if (floatType == DataType.FLOAT16) {
            checkFitsFloat16(file, tensors);
        }
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        meta.put("format", "pt");
        if (metadata != null) {
            metadata.forEach(meta::put);
        }
        Map<String, DataType> types = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            DataType type = a.getDataType().isFloating() ? floatType : a.getDataType();
            String name = switch (type) {
                case FLOAT32 -> "F32";
                case FLOAT16 -> "F16";
                case INT64 -> "I64";
                case INT32 -> "I32";
                default -> throw new IllegalArgumentException(
                        "cannot write tensor " + e.getKey() + " of type " + type);
            };
            types.put(e.getKey(), type);
            long bytes = a.size() * type.getNumOfBytes();
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", name);
            var shape = t.putArray("shape");
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        // pad the header with spaces to a multiple of 8 so the data is 8-byte aligned
        int padded = (json.length + 7) / 8 * 8;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(AtomicFiles.newOutputStream(tmp), 1 << 20)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(json);
            for (int i = json.length; i < padded; i++) {
                out.write(' ');
            }
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                NDArray a = e.getValue();
                DataType type = types.get(e.getKey());
                NDArray typed = a.getDataType() == type ? a : a.toType(type, false);
                ByteBuffer data = typed.toByteBuffer().order(ByteOrder.nativeOrder());
                if (typed != a) {
                    typed.close();
                }
                writeLittleEndian(out, data, type);
            }
        } catch (IOException e) {
            AtomicFiles.deleteTree(tmp);
            throw new UserInputException(file + ": cannot write: " + e.getMessage(), e);
        }
        try {
            AtomicFiles.commit(tmp, file);
        } catch (UncheckedIOException e) {
            throw new UserInputException(file + ": cannot write: " + e.getCause().getMessage(), e);
        }
    }

    /**
     * Refuses, before anything is written, a floating-point tensor with a value beyond float16's
     * range (65504), which would be stored as infinity.
     */
    private static void checkFitsFloat16(Path file, Map<String, NDArray> tensors) {
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            if (!a.getDataType().isFloating() || a.getDataType() == DataType.FLOAT16 || a.isEmpty()) {
                continue;
            }
            double max;
            try (NDArray abs = a.abs(); NDArray m = abs.max()) {
                max = scalar(m);
            }
            if (max > FLOAT16_MAX) {
                throw UserInputException.at(file.getFileName(), 0, "tensor " + e.getKey(),
                        "max |value| " + max + " exceeds " + (int) FLOAT16_MAX + ", the largest"
                        + " float16, and would be stored as infinity; store it as float32");
            }
        }
    }

    private static double scalar(NDArray m) {
        return switch (m.getDataType()) {
            case FLOAT32 -> m.getFloat();
            case FLOAT64 -> m.getDouble();
            default -> {
                try (NDArray f = m.toType(DataType.FLOAT32, false)) {
                    yield f.getFloat();
                }
            }
        };
    }

    /** Checkpoint form: float tensors as float32, integer ones as they are, no metadata. */
    public static void save(Path file, Map<String, NDArray> tensors) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot create folder: " + e.getMessage(), e);
        }
        write(file, tensors, DataType.FLOAT32, null);
    }

    /** Every tensor of {@code file} onto {@code manager}, in file order, keyed by name. */
    public static Map<String, NDArray> load(Path file, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (TensorInfo t : readHeader(file).tensors().values()) {
            NDArray a = read(t, file, manager);
            a.setName(t.name());
            out.put(t.name(), a);
        }
        return out;
    }

    private static void writeLittleEndian(OutputStream out, ByteBuffer data, DataType type)
            throws IOException {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        if (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) {
            int w = type.getNumOfBytes();
            for (int i = 0; i < bytes.length; i += w) {
                for (int j = 0; j < w / 2; j++) {
                    byte tmp = bytes[i + j];
                    bytes[i + j] = bytes[i + w - 1 - j];
                    bytes[i + w - 1 - j] = tmp;
                }
            }
        }
        out.write(bytes);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file)
            throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw bad(file, "file ends early (truncated download?)");
            }
            pos += n;
        }
    }

    private static UserInputException bad(Path file, String what) {
        return new UserInputException(file + ": not a valid safetensors file: " + what);
    }
}
