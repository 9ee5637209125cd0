package dev.align4j.sft;

import org.apache.logging.log4j.LogManager;

/**
 * Where a language-model run's starting model comes from, shared by {@link SftConfig} and
 * {@link PretrainConfig}: a trained folder ({@code model}), or a fresh model of shape
 * {@code modelConfig} (default {@code tiny}) with {@code tokenizer} (default {@code byte}).
 *
 * <p>A recipe written for a fresh model can be pointed at a trained one ({@code --model}): the
 * model's own shape and tokenizer win, with a warning.
 */
record ModelSource(String model, String modelConfig, String tokenizer) {

    static ModelSource resolve(String model, String modelConfig, String tokenizer) {
        if (model != null && model.isBlank()) {
            model = null;
        }
        if (model != null && (modelConfig != null || tokenizer != null)) {
            LogManager.getLogger(ModelSource.class).warn("model {} is given: model_config {} and"
                    + " tokenizer {} are ignored (the model brings its own)", model, modelConfig, tokenizer);
            modelConfig = null;
            tokenizer = null;
        }
        if (model == null) {
            modelConfig = modelConfig == null ? "tiny" : modelConfig;
            tokenizer = tokenizer == null ? "byte" : tokenizer;
            TokenizerSpec.parse(tokenizer); // checks bpe:<vocab>
        }
        return new ModelSource(model, modelConfig, tokenizer);
    }
}
