package dev.align4j.core.config;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** The keys a config record accepts, as Jackson sees them ({@link DidYouMean} suggests the nearest). */
final class ConfigKeys {

    private ConfigKeys() {}

    /** Property names Jackson would deserialize into {@code type} (the {@code @JsonProperty} names). */
    static Set<String> of(ObjectMapper mapper, Class<?> type) {
        BeanDescription desc = mapper.getDeserializationConfig().introspect(mapper.constructType(type));
        Set<String> names = new LinkedHashSet<>();
        for (BeanPropertyDefinition p : desc.findProperties()) {
            if (p.couldDeserialize()) {
                names.add(p.getName());
            }
        }
        return Collections.unmodifiableSet(names);
    }
}
