package dev.align4j.pipelines.stage;

import java.util.List;

/**
 * What a stage waits for from people (the human-in-the-loop break): the pipeline stops before the
 * stage, the CLI prints this and exits 3, and a rerun once it is given continues from that stage.
 *
 * @param progress what is there and what is needed, e.g. {@code 3 of 20 pairs labelled, 20 needed}
 * @param commands what to run to give it, one command each
 */
public record HumanInput(String progress, List<String> commands) {

    public HumanInput {
        commands = List.copyOf(commands);
    }
}
