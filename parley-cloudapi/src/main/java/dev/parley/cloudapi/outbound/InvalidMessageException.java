package dev.parley.cloudapi.outbound;

import java.util.List;
import java.util.stream.Collectors;

/** A message breaks rules of Meta's send API; nothing was sent. {@link #violations()} names each rule. */
public final class InvalidMessageException extends IllegalArgumentException {

    private final transient List<Violation> violations;

    public InvalidMessageException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    /** The rule identifiers, in order. */
    public List<String> rules() {
        return violations.stream().map(Violation::rule).toList();
    }
}
