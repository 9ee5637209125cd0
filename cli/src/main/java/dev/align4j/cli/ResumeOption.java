package dev.align4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --resume} for every training command ({@code pretrain}, {@code sft}, {@code reward train},
 * {@code dpo}, {@code ppo}), with one meaning: continue from the latest complete checkpoint in
 * output_dir (the config key {@code resume_from_checkpoint: latest}). With no checkpoint there the
 * command fails with exit 2 before writing anything.
 */
final class ResumeOption {

    @Option(names = "--resume", description = "continue from the latest complete checkpoint in the output folder")
    boolean resume;

    /** The value of resume_from_checkpoint for {@link ConfigOptions#flags}: "latest", or null (not given). */
    String checkpoint() {
        return resume ? "latest" : null;
    }
}
