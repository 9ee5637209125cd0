package dev.align4j.datasets.format;

import java.util.List;

/** A parsed record of any format; every record knows the file and line it came from. */
public sealed interface Example permits SftExample, PreferenceExample, UnpairedExample, PromptExample {

    Source source();

    /** The conversation before the (first trained) response: what a policy is prompted with. */
    List<Message> prompt();
}
