package dev.align4j.bench;

import dev.align4j.core.UserInputException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark's model and run shape, written as the peer script takes it:
 * {@code vocab=8192,ctx=256,layers=4,d=256,heads=4,batch=8,steps=12,warm=3}.
 */
public record BenchShape(int vocab, int ctx, int layers, int d, int heads, int batch, int steps,
        int warm) {

    /** The peer's defaults (../shared/peers/torch_gpt_bench.py). */
    public static BenchShape defaults() {
        return new BenchShape(8192, 256, 4, 256, 4, 8, 12, 3);
    }

    public static BenchShape parse(String spec) {
        Map<String, Integer> v = new LinkedHashMap<>(defaults().asMap());
        if (spec != null && !spec.isBlank()) {
            for (String part : spec.split(",")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length != 2 || !v.containsKey(kv[0].trim())) {
                    throw new UserInputException("--config: " + part.trim()
                            + ": expected key=value with key in " + v.keySet());
                }
                try {
                    int n = Integer.parseInt(kv[1].trim());
                    if (n <= 0 && !kv[0].trim().equals("warm")) {
                        throw new NumberFormatException();
                    }
                    v.put(kv[0].trim(), n);
                } catch (NumberFormatException e) {
                    throw new UserInputException("--config: " + kv[0].trim()
                            + ": expected a positive whole number, got " + kv[1].trim());
                }
            }
        }
        BenchShape s = new BenchShape(v.get("vocab"), v.get("ctx"), v.get("layers"), v.get("d"),
                v.get("heads"), v.get("batch"), v.get("steps"), v.get("warm"));
        if (s.d % s.heads != 0) {
            throw new UserInputException("--config: d " + s.d + " is not divisible by heads " + s.heads);
        }
        if (s.batch < 2) {
            throw new UserInputException("--config: batch must be >= 2 (DPO uses batch/2 pairs)");
        }
        return s;
    }

    public Map<String, Integer> asMap() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("vocab", vocab);
        m.put("ctx", ctx);
        m.put("layers", layers);
        m.put("d", d);
        m.put("heads", heads);
        m.put("batch", batch);
        m.put("steps", steps);
        m.put("warm", warm);
        return m;
    }
}
