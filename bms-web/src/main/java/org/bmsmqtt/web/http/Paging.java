package org.bmsmqtt.web.http;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.Page;

/**
 * {@code offset} and {@code limit} of a list (default 0 and {@value Page#DEFAULT_LIMIT}, limit at most
 * {@value Page#MAX_LIMIT}; anything else is a 400 naming the parameter). A page is answered as a JSON array with
 * {@code X-Total-Count} (all that match) and RFC 8288 {@code Link} headers {@code rel="next"} / {@code rel="prev"}
 * that keep every other query parameter.
 */
public record Paging(int offset, int limit) {

    public static Paging of(String offset, String limit) {
        return new Paging(number(offset, "offset", 0, 0, Integer.MAX_VALUE),
                number(limit, "limit", Page.DEFAULT_LIMIT, 1, Page.MAX_LIMIT));
    }

    public static <T> Response ok(Page<T> page, UriInfo uri) {
        Response.ResponseBuilder r = Response.ok(page.items()).header("X-Total-Count", page.total());
        long next = (long) page.offset() + page.limit();
        if (next < page.total()) {
            r.link(uri.getRequestUriBuilder().replaceQueryParam("offset", next)
                    .replaceQueryParam("limit", page.limit()).build(), "next");
        }
        if (page.offset() > 0) {
            r.link(uri.getRequestUriBuilder().replaceQueryParam("offset", Math.max(0, page.offset() - page.limit()))
                    .replaceQueryParam("limit", page.limit()).build(), "prev");
        }
        return r.build();
    }

    private static int number(String text, String name, int fallback, int min, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidValueException(name, "an integer " + min + ".." + (max == Integer.MAX_VALUE ? "" : max)
                + ", was '" + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "'");
    }
}
