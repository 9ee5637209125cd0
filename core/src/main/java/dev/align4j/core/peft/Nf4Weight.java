package dev.align4j.core.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

import java.nio.ByteBuffer;

/**
 * An {@link Nf4} tensor held on the device and dequantized there on each use.
 *
 * <p>Held arrays: codes (n/2) uint8; a 256 x 2 fp32 lookup table that maps a packed byte to its two
 * values (2 KiB, shared by all weights of a model, so unpacking is one embedding lookup instead of
 * shifts and masks, which DJL does not expose); and either absmax (blocks) fp32 or, with double
 * quantization, int8 scales (blocks) with their fp32 steps (blocks / 256) and the mean as a Java
 * float.
 *
 * <p>Dequantization: codes (n/2) -> int32 -> lookup (n/2, 2) -> (blocks, blockSize) * scales
 * (blocks, 1) -> the first n values -> original shape. The int32 index copy is transient (4 bytes
 * per pair of weights) and lives only for the forward.
 */
public final class Nf4Weight implements AutoCloseable {

    private final Shape shape;
    private final int blockSize;
    private final int blocks;
    private final NDArray codes;
    private final NDArray table;
    private final boolean ownsTable;
    private final NDArray absmax;
    private final NDArray qScales;
    private final NDArray steps;
    private final float mean;

    private Nf4Weight(Nf4.Quantized q, NDArray table, boolean ownsTable) {
        NDManager manager = table.getManager();
        shape = q.shape();
        blockSize = q.blockSize();
        blocks = q.blocks();
        this.table = table;
        this.ownsTable = ownsTable;
        ByteBuffer buf = ByteBuffer.allocateDirect(q.codes().length);
        buf.put(q.codes()).flip();
        codes = manager.create(buf, new Shape(q.codes().length), DataType.UINT8);
        if (q.doubleQuant()) {
            absmax = null;
            qScales = manager.create(q.qScales());
            steps = manager.create(q.steps());
            mean = q.mean();
            NDScope.unregister(codes, qScales, steps);
        } else {
            absmax = manager.create(q.absmax());
            qScales = null;
            steps = null;
            mean = 0;
            NDScope.unregister(codes, absmax);
        }
    }

    /**
     * The (256, 2) fp32 table from a packed byte to its two code values, on {@code manager}. One
     * table serves every {@link Nf4Weight} on that device.
     */
    public static NDArray lookupTable(NDManager manager) {
        float[] lut = new float[512];
        for (int b = 0; b < 256; b++) {
            lut[2 * b] = Nf4.CODE[b >>> 4];
            lut[2 * b + 1] = Nf4.CODE[b & 0x0f];
        }
        NDArray table = manager.create(lut, new Shape(256, 2));
        NDScope.unregister(table);
        return table;
    }

    /** Copies a host tensor to {@code manager}'s device with its own lookup table. */
    public static Nf4Weight upload(Nf4.Quantized q, NDManager manager) {
        return new Nf4Weight(q, lookupTable(manager), true);
    }

    /**
     * Copies a host tensor to the device of {@code table} (from {@link #lookupTable}), sharing the
     * table; closing this weight leaves the table open.
     */
    public static Nf4Weight upload(Nf4.Quantized q, NDArray table) {
        return new Nf4Weight(q, table, false);
    }

    /** The lookup table this weight decodes with. */
    public NDArray table() {
        return table;
    }

    /** The original shape, e.g. (out, in). */
    public Shape shape() {
        return shape;
    }

    /** Per-block scales (blocks) fp32, rebuilt from int8 with double quantization. */
    NDArray scales() {
        if (absmax != null) {
            return absmax;
        }
        // absmax_i = q_i * step_(i / 256) + mean (same float operations as Nf4.reconstruct)
        NDArray step = steps.repeat(0, Nf4.SCALE_BLOCK);
        if (step.size() != blocks) {
            step = step.get(new NDIndex("0:{}", blocks));
        }
        return qScales.toType(DataType.FLOAT32, false).mul(step).add(mean);
    }

    /** The dequantized tensor in {@code shape()} as {@code dtype}, on the weight's own manager. */
    public NDArray dequantize(DataType dtype) {
        return dequantize(dtype, codes.getManager());
    }

    /**
     * The dequantized tensor in {@code shape()} as {@code dtype}, attached to {@code target} (pass
     * the input's manager, so a per-step sub-manager frees it) and registered with the caller's
     * {@link NDScope}, if any. The intermediates are freed here.
     */
    public NDArray dequantize(DataType dtype, NDManager target) {
        NDArray w;
        try (NDScope scope = new NDScope()) {
            NDArray idx = codes.toType(DataType.INT32, false); // torch's embedding takes int32
            NDArray pairs = idx.getNDArrayInternal().embedding(idx, table, SparseFormat.DENSE)
                    .singletonOrThrow(); // (n/2, 2)
            w = pairs.reshape(blocks, blockSize).mul(scales().reshape(blocks, 1)).reshape(-1);
            if (w.size() != shape.size()) {
                w = w.get(new NDIndex("0:{}", shape.size()));
            }
            w = w.reshape(shape);
            if (dtype != DataType.FLOAT32) {
                w = w.toType(dtype, false);
            }
            NDScope.unregister(w);
        }
        NDScope.register(w);
        if (w.getManager() != target) {
            w.attach(target);
        }
        return w;
    }

    /** Bytes held on the device (codes and scales) plus the mean; the shared table is extra. */
    public long bytes() {
        if (absmax != null) {
            return codes.size() + absmax.size() * 4;
        }
        return codes.size() + qScales.size() + steps.size() * 4 + 4;
    }

    @Override
    public void close() {
        codes.close();
        if (ownsTable) {
            table.close();
        }
        if (absmax != null) {
            absmax.close();
        } else {
            qScales.close();
            steps.close();
        }
    }
}
