package org.bmsmqtt.bms.shared;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list queried in the database: the items from {@code offset}, at most {@code limit} of them, and how
 * many match in all.
 */
public record Page<T>(List<T> items, long total, int offset, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), total, offset, limit);
    }
}
