/** The sentiment-steering task: lexicon, review corpus generator, prompts, the exact judge, win rate, pairs. */
package dev.align4j.datasets.sentiment;
