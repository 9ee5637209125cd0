package dev.align4j.core.io;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.align4j.core.UserInputException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

class SafetensorsFormatTest {

    @TempDir
    Path dir;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void halfPrecisionBitsDecode() {
        assertThat(Safetensors.halfToFloat((short) 0x3C00)).isEqualTo(1f);
        assertThat(Safetensors.halfToFloat((short) 0xC000)).isEqualTo(-2f);
        assertThat(Safetensors.halfToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(Safetensors.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Safetensors.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Safetensors.halfToFloat((short) 0x8000)).isEqualTo(-0f);
        assertThat((double) Safetensors.halfToFloat((short) 0x3555)).isCloseTo(1 / 3.0,
                within(1e-3));
    }

    @Test
    void writeThenReadRoundTripsFloat32AndFloat16WithMetadata() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("a.weight", manager.create(new float[] {0.5f, -1.25f, 3f, 1e-3f},
                new Shape(2, 2)));
        tensors.put("b", manager.create(new float[] {7f}, new Shape(1)));
        tensors.put("ids", manager.create(new long[] {1, 2, 3}, new Shape(3)));
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
            Path file = dir.resolve(type + ".safetensors");
            Safetensors.write(file, tensors, type, Map.of("seed", "42"));
            Safetensors.Header h = Safetensors.readHeader(file);
            assertThat(h.metadata()).containsEntry("format", "pt").containsEntry("seed", "42");
            assertThat(h.tensors().keySet()).containsExactly("a.weight", "b", "ids");
            assertThat(h.tensors().get("a.weight").dtype())
                    .isEqualTo(type == DataType.FLOAT32 ? "F32" : "F16");
            assertThat(h.tensors().get("ids").dtype()).isEqualTo("I64");
            float[] a = Safetensors.readFloats(h.tensors().get("a.weight"), file);
            assertThat(a[0]).isEqualTo(0.5f);
            assertThat(a[1]).isEqualTo(-1.25f);
            assertThat((double) a[3]).isCloseTo(1e-3f, within(type == DataType.FLOAT32 ? 0 : 1e-6));
            assertThat(Safetensors.read(h.tensors().get("ids"), file, manager).toLongArray())
                    .containsExactly(1, 2, 3);
        }
    }

    @Test
    void readsAHandWrittenFileWithMetadataAndBfloat16() throws Exception {
        // header as transformers writes it: __metadata__ first, then tensors in any order
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"v\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[6,10]}}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        // bf16 of 1.0 (0x3F80), -2.0 (0xC000), 0.15625 (0x3E20), little-endian
        out.write(new byte[] {(byte) 0x80, 0x3F, 0x00, (byte) 0xC0, 0x20, 0x3E});
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(2.5f).array());
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, out.toByteArray());
        Safetensors.Header parsed = Safetensors.readHeader(file);
        assertThat(parsed.tensors().get("w").shape()).isEqualTo(new Shape(3));
        assertThat(Safetensors.readFloats(parsed.tensors().get("w"), file))
                .containsExactly(1f, -2f, 0.15625f);
        assertThat(Safetensors.read(parsed.tensors().get("v"), file, manager).getShape())
                .isEqualTo(new Shape(1, 1));
    }

    @Test
    void djlReadsWhatWeWriteAndWeReadWhatDjlWrites() throws Exception {
        // an outside check of our writer's byte layout: DJL's own safetensors decoder
        NDArray x = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        Path ours = dir.resolve("ours.safetensors");
        Safetensors.write(ours, Map.of("x", x), DataType.FLOAT32, null);
        NDList decoded = NDList.decode(manager, Files.readAllBytes(ours));
        assertThat(decoded.get(0).getName()).isEqualTo("x");
        assertThat(decoded.get(0).toFloatArray()).containsExactly(x.toFloatArray());

        NDArray y = manager.create(new float[] {-1, 0.5f}, new Shape(1, 2));
        y.setName("y");
        Path theirs = dir.resolve("djl.safetensors");
        Files.write(theirs, new NDList(y).encode(NDList.Encoding.SAFETENSORS));
        Safetensors.Header h = Safetensors.readHeader(theirs);
        assertThat(Safetensors.readFloats(h.tensors().get("y"), theirs)).containsExactly(-1f, 0.5f);
    }

    @Test
    void truncatedOrCorruptFilesAreUserErrorsNamingTheFile() throws Exception {
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, Map.of("x", manager.ones(new Shape(4))), DataType.FLOAT32, null);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> Safetensors.readHeader(file))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("t.safetensors").hasMessageContaining("x");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Safetensors.readHeader(file))
                .isInstanceOf(UserInputException.class).hasMessageContaining("t.safetensors");
        assertThatThrownBy(() -> Safetensors.readHeader(dir.resolve("missing.safetensors")))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("missing.safetensors");
    }
}
