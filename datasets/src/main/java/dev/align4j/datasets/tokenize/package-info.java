/** Tokenization with loss masks: SFT input ids + labels, preference prompt/chosen/rejected ids, truncation. */
package dev.align4j.datasets.tokenize;
