package dev.coro.tck;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The kit's tries: each property's {@code @Property(tries = …)} is the bounded default (the whole
 * kit well under 2 minutes per backend); {@code -Dcoro.tck.tries=N} sets every property to N tries
 * for a deep run.
 */
public final class KitTries implements AroundPropertyHook {

    /** The system property of a deep run. */
    public static final String PROPERTY = "coro.tck.tries";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        Integer tries = Integer.getInteger(PROPERTY);
        if (tries != null) {
            if (tries < 1) {
                throw new IllegalArgumentException("-D" + PROPERTY + " must be at least 1, got " + tries);
            }
            context.attributes().setTries(tries);
        }
        return property.execute();
    }

    @Override
    public int aroundPropertyProximity() {
        return -100; // outermost: before jqwik reads the attributes
    }
}
