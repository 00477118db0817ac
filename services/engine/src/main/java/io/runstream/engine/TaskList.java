package io.runstream.engine;

import java.util.List;

/** A list of tasks run in order, at its position in the definition (such as {@code /do}). */
record TaskList(String at, List<Task> tasks) {

    int size() {
        return tasks.size();
    }

    Task get(int index) {
        return tasks.get(index);
    }

    /** The index of the task of that name, or -1. */
    int indexOf(String name) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).common().name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
