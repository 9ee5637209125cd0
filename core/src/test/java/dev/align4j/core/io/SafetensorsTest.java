package dev.align4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

class SafetensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsNamesShapesIntegerTypesAndValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1.5f, -2f, 3f, 0.25f, 5f, 6f}, new Shape(2, 3));
            w.setName("mine");
            Map<String, NDArray> in = new LinkedHashMap<>();
            in.put("blocks.0.attn.q_proj.weight", w);
            in.put("step", m.create(new long[] {42L}));
            in.put("h", m.create(new float[] {1f, 2f}).toType(DataType.FLOAT16, false));
            Path f = dir.resolve("x.safetensors");
            Safetensors.save(f, in);
            assertThat(w.getName()).isEqualTo("mine");

            Map<String, NDArray> out = Safetensors.load(f, m);
            assertThat(out.keySet()).containsExactlyInAnyOrder("blocks.0.attn.q_proj.weight", "step", "h");
            NDArray w2 = out.get("blocks.0.attn.q_proj.weight");
            assertThat(w2.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(w2.toFloatArray()).containsExactly(1.5f, -2f, 3f, 0.25f, 5f, 6f);
            assertThat(out.get("step").toLongArray()).containsExactly(42L);
            // checkpoints hold float32: half-precision arrays come back widened, values intact
            assertThat(out.get("h").getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(out.get("h").toFloatArray()).containsExactly(1f, 2f);
        }
    }
}
