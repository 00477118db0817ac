package io.runstream.api.health;

import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when the service's readiness group names a check, so each service registers only the checks it needs. */
abstract class NamedInReadiness extends SpringBootCondition {

    static final String INCLUDE = "management.endpoint.health.group.readiness.include";

    private final String check;

    NamedInReadiness(String check) {
        this.check = check;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Set<String> named = Binder.get(context.getEnvironment()).bind(INCLUDE, Bindable.setOf(String.class))
                .orElse(Set.of());
        return named.contains(check)
                ? ConditionOutcome.match(INCLUDE + " names " + check)
                : ConditionOutcome.noMatch(INCLUDE + " does not name " + check);
    }

    /** The Kafka cluster check, {@code kafka}. */
    static final class Kafka extends NamedInReadiness {
        Kafka() {
            super("kafka");
        }
    }

    /** The schema registry check, {@code schemaRegistry}. */
    static final class SchemaRegistry extends NamedInReadiness {
        SchemaRegistry() {
            super("schemaRegistry");
        }
    }
}
