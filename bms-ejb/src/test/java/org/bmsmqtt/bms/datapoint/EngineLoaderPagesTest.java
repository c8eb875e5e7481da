package org.bmsmqtt.bms.datapoint;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up load reads datapoints in keyset pages: every row exactly once, whatever the count against the page. */
class EngineLoaderPagesTest {

    static final int PAGE = 5;

    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {0, 1, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, 2 * PAGE + 3})
    void every_row_once_in_id_order_with_the_id_each_page_comes_after(int rows) {
        // sparse ids, as after deletions
        List<Object[]> table = LongStream.range(0, rows).mapToObj(i -> new Object[] {i * 3 + 7}).toList();
        List<Long> seen = new ArrayList<>();
        List<Long> afters = new ArrayList<>();
        int[] queries = {0};
        EngineLoader.inPages(PAGE, (after, max) -> {
            queries[0]++;
            return table.stream().filter(r -> (Long) r[0] > after).limit(max).toList();
        }, (after, page) -> {
            afters.add(after);
            assertTrue(page.size() <= PAGE, "a page larger than asked");
            assertTrue(page.stream().allMatch(r -> (Long) r[0] > after), "a row not after the page's key");
            page.forEach(r -> seen.add((Long) r[0]));
        });
        assertEquals(table.stream().map(r -> (Long) r[0]).toList(), seen);
        assertEquals(rows / PAGE + 1, queries[0], "one query per page and one that finds the end");
        for (int p = 1; p < afters.size(); p++) {
            assertEquals(seen.get(p * PAGE - 1), afters.get(p), "page " + p + " comes after the last id of the one before");
        }
    }
}
