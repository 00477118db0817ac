package io.runstream.projection.domain;

import java.util.List;

/** One page of results, and whether more follow. */
public record Page<T>(List<T> items, boolean hasMore) {
}
