/**
 * The kill-resume harness: runs the real CLI in child JVMs, kills them at seeded moments, resumes,
 * and compares the final bytes with an uninterrupted run's (bench/README.md, "Kill and resume").
 */
package dev.align4j.bench.killresume;
