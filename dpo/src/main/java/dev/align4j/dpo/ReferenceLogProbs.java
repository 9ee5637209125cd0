package dev.align4j.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.CausalLM;
import dev.align4j.datasets.tokenize.TokenizedPreference;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference model's reply log-probs for every pair, computed once before training (no gradient,
 * batched) so the reference need not stay in memory: per pair the summed log-prob and the token
 * count of the chosen and the rejected reply, so both the summed (DPO) and the averaged (IPO)
 * variants are at hand.
 *
 * <p>On disk ({@code ref_logps.jsonl}): a header line {@code {"key", "pairs"}}, then one line per
 * pair {@code {"i", "chosen", "chosen_tokens", "rejected", "rejected_tokens"}}. The key hashes the
 * data, the reference weights and the tokenization settings; a resumed run reuses the file only when
 * its key matches.
 */
public final class ReferenceLogProbs {

    public static final String FILE = "ref_logps.jsonl";

    private static final Logger LOG = LogManager.getLogger(ReferenceLogProbs.class);

    private final String key;
    private final float[] chosen;
    private final float[] rejected;
    private final int[] chosenTokens;
    private final int[] rejectedTokens;

    private ReferenceLogProbs(String key, float[] chosen, float[] rejected, int[] chosenTokens, int[] rejectedTokens) {
        this.key = key;
        this.chosen = chosen;
        this.rejected = rejected;
        this.chosenTokens = chosenTokens;
        this.rejectedTokens = rejectedTokens;
    }

    /** Scores every pair with {@code reference} in batches of {@code batchSize}, in index order. */
    public static ReferenceLogProbs compute(String key, CausalLM reference, List<TokenizedPreference> pairs,
            int batchSize, int padId) {
        int n = pairs.size();
        float[] c = new float[n];
        float[] r = new float[n];
        int[] ct = new int[n];
        int[] rt = new int[n];
        long start = System.nanoTime();
        NDManager base = reference.embedTokens().weight().getArray().getManager();
        for (int from = 0; from < n; from += batchSize) {
            int b = Math.min(batchSize, n - from);
            int[] idx = new int[b];
            for (int k = 0; k < b; k++) {
                idx[k] = from + k;
            }
            try (NDManager m = base.newSubManager(); NDScope scope = new NDScope()) {
                NDArray[] lp = SequenceLogProbs.of(reference, PairBatch.of(pairs, idx, padId, m), false);
                float[] sums = lp[0].toFloatArray();
                float[] counts = lp[1].toFloatArray();
                for (int k = 0; k < b; k++) {
                    c[from + k] = sums[k];
                    r[from + k] = sums[b + k];
                    ct[from + k] = Math.round(counts[k]);
                    rt[from + k] = Math.round(counts[b + k]);
                }
                scope.suppressNotUsedWarning();
            }
        }
        LOG.info("reference log-probs of {} pairs in {} s", n, String.format("%.1f", (System.nanoTime() - start) / 1e9));
        return new ReferenceLogProbs(key, c, r, ct, rt);
    }

    /** The cache in {@code file} if it exists, holds {@code pairs} pairs and was made for {@code key}. */
    public static Optional<ReferenceLogProbs> load(Path file, String key, int pairs) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            JsonNode head = Json.mapper().readTree(lines.get(0));
            if (!key.equals(head.path("key").asText()) || head.path("pairs").asInt(-1) != pairs
                    || lines.size() != pairs + 1) {
                LOG.info("{}: made for other data or another reference; recomputing", file);
                return Optional.empty();
            }
            float[] c = new float[pairs];
            float[] r = new float[pairs];
            int[] ct = new int[pairs];
            int[] rt = new int[pairs];
            for (int k = 1; k <= pairs; k++) {
                JsonNode n = Json.mapper().readTree(lines.get(k));
                int i = n.path("i").asInt();
                c[i] = (float) n.path("chosen").asDouble();
                r[i] = (float) n.path("rejected").asDouble();
                ct[i] = n.path("chosen_tokens").asInt();
                rt[i] = n.path("rejected_tokens").asInt();
            }
            LOG.info("reusing reference log-probs from {}", file);
            return Optional.of(new ReferenceLogProbs(key, c, r, ct, rt));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: unreadable ({}); recomputing", file, e.toString());
            return Optional.empty();
        }
    }

    /** Writes the cache atomically. */
    public void save(Path file) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("key", key);
        head.put("pairs", chosen.length);
        sb.append(Json.line(head)).append('\n');
        for (int i = 0; i < chosen.length; i++) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("i", i);
            line.put("chosen", (double) chosen[i]); // a float widened exactly, so it reads back bit-equal
            line.put("chosen_tokens", chosenTokens[i]);
            line.put("rejected", (double) rejected[i]);
            line.put("rejected_tokens", rejectedTokens[i]);
            sb.append(Json.line(line)).append('\n');
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** {@code [sums (2B), counts (2B)]} for {@code batch}, laid out like the policy's. */
    public NDArray[] lookup(PairBatch batch, NDManager manager) {
        int b = batch.pairs();
        float[] sums = new float[2 * b];
        float[] counts = new float[2 * b];
        for (int k = 0; k < b; k++) {
            int i = batch.indices()[k];
            sums[k] = chosen[i];
            sums[b + k] = rejected[i];
            counts[k] = chosenTokens[i];
            counts[b + k] = rejectedTokens[i];
        }
        return new NDArray[] {manager.create(sums, new Shape(2L * b)), manager.create(counts, new Shape(2L * b))};
    }

    public String key() {
        return key;
    }

    public int size() {
        return chosen.length;
    }

    /** Summed log-prob of pair {@code i}'s chosen (or rejected) reply. */
    public float sum(int i, boolean chosenReply) {
        return chosenReply ? chosen[i] : rejected[i];
    }

    public int tokens(int i, boolean chosenReply) {
        return chosenReply ? chosenTokens[i] : rejectedTokens[i];
    }
}
