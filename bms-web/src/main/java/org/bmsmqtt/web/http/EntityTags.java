package org.bmsmqtt.web.http;

import jakarta.ws.rs.core.EntityTag;
import org.bmsmqtt.bms.shared.InvalidValueException;
import org.bmsmqtt.bms.shared.Versions;

/**
 * Entity tags are the stored entity's {@code @Version}: {@code ETag: "3"}. {@code If-Match} on PUT and DELETE (and
 * the broker operations) makes the change conditional on that version; without it the change is unconditional.
 */
public final class EntityTags {

    private EntityTags() {
    }

    public static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * The version an {@code If-Match} header names: null without the header or for {@code *}. A weak tag
     * ({@code W/"3"}) is taken as well; anything else is a 400 naming {@code If-Match}.
     */
    public static Long expected(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 3 && tag.startsWith("\"") && tag.endsWith("\"")) {
            String inner = tag.substring(1, tag.length() - 1);
            if (inner.matches("[0-9]{1,18}")) {
                return Long.parseLong(inner);
            }
        }
        throw new InvalidValueException(Versions.IF_MATCH, "one entity tag as sent in ETag, e.g. \"3\" (with the "
                + "quotes), or *");
    }
}
