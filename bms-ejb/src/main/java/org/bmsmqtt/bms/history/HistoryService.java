package org.bmsmqtt.bms.history;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.storage.SchemaMigration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** History queries: the values of a time range (oldest first, with a limit), and per-interval aggregates. */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class HistoryService {

    public static final int MAX_LIMIT = 100_000;

    /** One stored value. */
    public record Entry(Instant time, String value, String source) {
    }

    /** Aggregate of one interval starting at {@code start} (numeric datapoints). */
    public record Bucket(Instant start, double min, double max, double avg, long count) {
    }

    @Resource(lookup = SchemaMigration.DATASOURCE)
    private DataSource dataSource;

    public List<Entry> range(long datapointId, Instant from, Instant to, int limit) {
        checkRange(from, to);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidValueException("limit", "must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ts, value_text, source FROM value_history "
                     + "WHERE datapoint_id = ? AND ts >= ? AND ts < ? ORDER BY ts LIMIT " + limit)) {
            ps.setLong(1, datapointId);
            ps.setObject(2, from.atOffset(ZoneOffset.UTC));
            ps.setObject(3, to.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("history query failed: " + e.getMessage(), e);
        }
        return out;
    }

    public List<Bucket> aggregate(long datapointId, Instant from, Instant to, Duration interval) {
        checkRange(from, to);
        if (interval.isNegative() || interval.isZero()) {
            throw new InvalidValueException("interval", "must be positive");
        }
        if (Duration.between(from, to).dividedBy(interval) > 10_000) {
            throw new InvalidValueException("interval", "at most 10000 intervals per query");
        }
        TreeMap<Instant, double[]> buckets = new TreeMap<>(); // min, max, sum, count
        long step = interval.toMillis();
        for (Entry e : range(datapointId, from, to, MAX_LIMIT)) {
            double v;
            try {
                v = Double.parseDouble(e.value());
            } catch (NumberFormatException nfe) {
                v = Boolean.parseBoolean(e.value()) ? 1 : 0;
            }
            long k = (e.time().toEpochMilli() - from.toEpochMilli()) / step;
            double[] b = buckets.computeIfAbsent(from.plusMillis(k * step),
                    x -> new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, 0, 0});
            b[0] = Math.min(b[0], v);
            b[1] = Math.max(b[1], v);
            b[2] += v;
            b[3]++;
        }
        List<Bucket> out = new ArrayList<>();
        buckets.forEach((start, b) -> out.add(new Bucket(start, b[0], b[1], b[2] / b[3], (long) b[3])));
        return out;
    }

    private static void checkRange(Instant from, Instant to) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new InvalidValueException("from", "a range needs from < to");
        }
    }
}
