/** Data formats, chat templates, tokenization with loss masks, batching, splits, mixing and packing. */
package dev.align4j.datasets;
