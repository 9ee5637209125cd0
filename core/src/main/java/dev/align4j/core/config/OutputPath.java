package dev.align4j.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a config record component that names a folder or file the run writes (e.g.
 * {@code output_dir}). {@link ConfigLoader} refuses such a value when it comes from a config file and
 * is absolute or leaves the working directory through {@code ..}; the command line ({@code --set},
 * typed flags such as {@code --output-dir}) may name any place. See {@link OutputPaths}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface OutputPath {
}
