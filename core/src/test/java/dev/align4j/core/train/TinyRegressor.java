package dev.align4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.engine.Engine;
import dev.align4j.core.model.Autocast;
import dev.align4j.core.model.Linear;
import dev.align4j.core.model.Module;

import java.util.SplittableRandom;

/**
 * Test-only two-layer MLP regressor, y = tanh(x W1^T + b1) W2^T + b2, with MSE loss, and a
 * deterministic synthetic data set for it. Shapes: x (B, D), hidden (B, H), y (B, 1).
 */
final class TinyRegressor extends Module {

    static final int D = 3;
    static final int H = 8;

    private final Parameter w1;
    private final Parameter b1;
    private final Parameter w2;
    private final Parameter b2;

    TinyRegressor() {
        w1 = param("w1", Parameter.Type.WEIGHT, new Shape(H, D), new NormalInitializer(0.5f));
        b1 = param("b1", Parameter.Type.BIAS, new Shape(H), new NormalInitializer(0.1f));
        w2 = param("w2", Parameter.Type.WEIGHT, new Shape(1, H), new NormalInitializer(0.5f));
        b2 = param("b2", Parameter.Type.BIAS, new Shape(1), new NormalInitializer(0.1f));
    }

    /** A model whose initial weights depend only on {@code seed}. */
    static TinyRegressor create(NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        TinyRegressor m = new TinyRegressor();
        m.initialize(manager, DataType.FLOAT32);
        return m;
    }

    /** x (B, D) -> (B, 1); with {@code dropout} > 0, inverted dropout on the hidden layer from the engine RNG. */
    NDArray forward(NDArray x, double dropout) {
        if (Autocast.dtype() != null) {
            x = x.toType(Autocast.dtype(), false); // data, not a weight: no gradient to keep
        }
        // Linear.linear so that fp16 autocast applies to the two products, as in the real models
        NDArray h = Linear.linear(x, Autocast.array(w1), Autocast.array(b1)).tanh(); // (B, H)
        if (dropout > 0) {
            NDArray keep = x.getManager().randomUniform(0f, 1f, h.getShape()).gte(dropout).toType(h.getDataType(), false);
            h = h.mul(keep).div(1 - dropout);
        }
        return Linear.linear(h, Autocast.array(w2), Autocast.array(b2)); // (B, 1)
    }

    /** Mean squared error over the batch: the mean the engine's accumulation expects. */
    StepOutput loss(Batch batch) {
        return loss(batch, 0);
    }

    StepOutput loss(Batch batch, double dropout) {
        NDArray err = Autocast.toFloat32(forward(batch.x(), dropout)).sub(batch.y());
        NDArray mse = err.square().mean();
        return StepOutput.of(mse).metric("mae", err.abs().mean()).metric("batch_size", batch.size());
    }

    record Batch(NDArray x, NDArray y, int size) {
    }

    /** N examples with x uniform in [-1, 1]^D and y = sin(x0 + 2 x1 - x2), fixed by {@code dataSeed}. */
    static final class Data implements BatchSource<Batch> {
        private final float[][] xs;
        private final float[] ys;
        private final int batchSize;

        Data(int n, int batchSize, long dataSeed) {
            this.batchSize = batchSize;
            SplittableRandom r = new SplittableRandom(dataSeed);
            xs = new float[n][D];
            ys = new float[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < D; j++) {
                    xs[i][j] = (float) (r.nextDouble() * 2 - 1);
                }
                ys[i] = (float) Math.sin(xs[i][0] + 2 * xs[i][1] - xs[i][2]);
            }
        }

        @Override
        public long size() {
            return ys.length;
        }

        @Override
        public long batchesPerEpoch() {
            return (ys.length + batchSize - 1) / batchSize;
        }

        @Override
        public Batch batch(long seed, long epoch, long index, NDManager manager) {
            int[] order = DataOrder.permutation(seed, epoch, ys.length);
            int from = (int) index * batchSize;
            int to = Math.min(ys.length, from + batchSize);
            float[] x = new float[(to - from) * D];
            float[] y = new float[to - from];
            for (int i = from; i < to; i++) {
                System.arraycopy(xs[order[i]], 0, x, (i - from) * D, D);
                y[i - from] = ys[order[i]];
            }
            return new Batch(manager.create(x, new Shape(to - from, D)), manager.create(y, new Shape(to - from, 1)),
                    to - from);
        }

        @Override
        public long tokenCount(Batch batch) {
            return batch.size();
        }

        @Override
        public String dataHash() {
            return "tiny-" + ys.length;
        }
    }
}
