package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One line of work in an execution: the workflow's main line (id 1), or a branch of a {@code fork} (with its parent
 * fiber and branch index). It is runnable while it has a {@link Signal} to handle, and waiting otherwise.
 */
public final class Fiber {

    final int id;
    final int parent;
    final int branch;
    /** The variables of the enclosing scopes when the branch started ({@code $item}, {@code $error}, ...). */
    final Map<String, JsonNode> inherited;
    final List<Frame> stack;
    Signal next;

    public Fiber(int id, int parent, int branch, Map<String, JsonNode> inherited, List<Frame> stack, Signal next) {
        this.id = id;
        this.parent = parent;
        this.branch = branch;
        this.inherited = Map.copyOf(inherited);
        this.stack = new ArrayList<>(stack);
        this.next = next;
    }

    public int id() {
        return id;
    }

    public int parent() {
        return parent;
    }

    public int branch() {
        return branch;
    }

    public Map<String, JsonNode> inherited() {
        return inherited;
    }

    public List<Frame> stack() {
        return java.util.Collections.unmodifiableList(stack);
    }

    /** The signal it handles next, or null while it waits. */
    public Signal next() {
        return next;
    }

    Frame top() {
        return stack.isEmpty() ? null : stack.get(stack.size() - 1);
    }
}
