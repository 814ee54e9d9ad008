package dev.parley.server.support;

import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a Spring Boot test against real PostgreSQL instead of the embedded H2 default. The usual pattern:
 * an abstract test holds the cases, {@code FooH2Test} and {@code FooPostgresTest} extend it, the latter
 * annotated with this.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ContextConfiguration(initializers = PostgresInitializer.class)
public @interface OnPostgres {
}
