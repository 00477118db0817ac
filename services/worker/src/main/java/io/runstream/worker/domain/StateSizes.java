package io.runstream.worker.domain;

/** How large an execution's stored state is, as the store would keep it: the port the size limit measures by. */
@FunctionalInterface
public interface StateSizes {

    /** The bytes the execution's state (its progress and input included) takes in the store. */
    long bytes(Execution execution);
}
