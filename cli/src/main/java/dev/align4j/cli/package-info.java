/** The {@code align4j} command line: Picocli commands, exit codes, run logging. */
package dev.align4j.cli;
