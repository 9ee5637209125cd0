/** The run lifecycle every trainer goes through: validation, run folder, sinks, Ctrl-C and NaN policy, export, {@link dev.align4j.core.run.RunResult}. */
package dev.align4j.core.run;
