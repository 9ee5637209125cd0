package dev.align4j.datasets.format;

/**
 * How to read a data file.
 *
 * @param format the layout, or null to detect it from the first record
 * @param mapping field renames ({@code --map}); never null
 * @param skipInvalid false (default): the first bad record stops loading with a
 *     {@link dev.align4j.core.UserInputException}; true: bad records are skipped and counted
 * @param promptsOnly keep only each record's prompt (as a {@link PromptExample}), whatever the format
 */
public record LoadOptions(DataFormat format, ColumnMapping mapping, boolean skipInvalid, boolean promptsOnly) {

    public LoadOptions {
        mapping = mapping == null ? ColumnMapping.identity() : mapping;
    }

    public static LoadOptions defaults() {
        return new LoadOptions(null, ColumnMapping.identity(), false, false);
    }

    public LoadOptions withFormat(DataFormat f) {
        return new LoadOptions(f, mapping, skipInvalid, promptsOnly);
    }

    public LoadOptions withMapping(ColumnMapping m) {
        return new LoadOptions(format, m, skipInvalid, promptsOnly);
    }

    public LoadOptions withSkipInvalid(boolean skip) {
        return new LoadOptions(format, mapping, skip, promptsOnly);
    }

    public LoadOptions withPromptsOnly(boolean prompts) {
        return new LoadOptions(format, mapping, skipInvalid, prompts);
    }
}
