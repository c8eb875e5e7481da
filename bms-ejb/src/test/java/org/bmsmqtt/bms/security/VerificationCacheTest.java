package org.bmsmqtt.bms.security;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerificationCacheTest {

    @Test
    void a_remembered_password_matches_only_with_the_same_stored_hash() {
        VerificationCache cache = new VerificationCache();
        assertFalse(cache.matches("ann", "h1", "secret-1".toCharArray()));
        cache.remember("ann", "h1", "secret-1".toCharArray());
        assertTrue(cache.matches("ann", "h1", "secret-1".toCharArray()));
        assertFalse(cache.matches("ann", "h1", "secret-2".toCharArray()), "another password");
        assertFalse(cache.matches("ann", "h2", "secret-1".toCharArray()), "the password was changed");
        assertFalse(cache.matches("bob", "h1", "secret-1".toCharArray()), "another user");
    }

    @Test
    void a_removed_user_is_forgotten() {
        VerificationCache cache = new VerificationCache();
        cache.remember("ann", "h1", "secret-1".toCharArray());
        cache.retain(Set.of("bob"));
        assertFalse(cache.matches("ann", "h1", "secret-1".toCharArray()));
    }
}
