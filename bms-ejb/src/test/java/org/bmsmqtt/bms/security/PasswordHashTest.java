package org.bmsmqtt.bms.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashTest {

    // few iterations: the tests check the format and the logic, not the cost
    private final PasswordHash hasher = new PasswordHash(1_000);

    @Test
    void the_right_password_verifies() {
        String stored = hasher.hash("correct horse".toCharArray());
        assertTrue(PasswordHash.verify("correct horse".toCharArray(), stored));
    }

    @Test
    void a_wrong_password_does_not() {
        String stored = hasher.hash("correct horse".toCharArray());
        assertFalse(PasswordHash.verify("correct hors".toCharArray(), stored));
        assertFalse(PasswordHash.verify("Correct horse".toCharArray(), stored));
        assertFalse(PasswordHash.verify(new char[0], stored));
    }

    @Test
    void the_same_password_gets_a_different_salt_and_hash_each_time() {
        String a = hasher.hash("same password".toCharArray());
        String b = hasher.hash("same password".toCharArray());
        assertNotEquals(a, b);
        assertNotEquals(a.split("\\$")[2], b.split("\\$")[2], "salts differ");
        assertTrue(PasswordHash.verify("same password".toCharArray(), a));
        assertTrue(PasswordHash.verify("same password".toCharArray(), b));
    }

    @Test
    void the_stored_string_carries_scheme_iterations_salt_and_hash_but_not_the_password() {
        String stored = hasher.hash("visible?".toCharArray());
        String[] parts = stored.split("\\$");
        assertEquals(4, parts.length, stored);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("1000", parts[1]);
        assertEquals(16, java.util.Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, java.util.Base64.getDecoder().decode(parts[3]).length);
        assertFalse(stored.contains("visible?"));
    }

    @Test
    void the_iteration_count_is_read_from_the_stored_string() {
        String stored = new PasswordHash(2_000).hash("pw-12345".toCharArray());
        assertTrue(PasswordHash.verify("pw-12345".toCharArray(), stored));
        assertFalse(PasswordHash.verify("pw-12345".toCharArray(), stored.replace("$2000$", "$1000$")));
    }

    @Test
    void the_default_cost_is_serious() {
        assertTrue(PasswordHash.DEFAULT_ITERATIONS >= 210_000);
        assertTrue(new PasswordHash().hash("pw-12345".toCharArray()).startsWith("pbkdf2-sha256$"
                + PasswordHash.DEFAULT_ITERATIONS + "$"));
    }

    @Test
    void anything_not_in_our_format_never_verifies() {
        for (String bad : new String[]{"", "plain", "pbkdf2-sha256$1000$abc", "md5$1$AAAA$AAAA",
                "pbkdf2-sha256$x$AAAA$AAAA", "pbkdf2-sha256$1000$!!$AAAA", "pbkdf2-sha256$0$AAAA$AAAA"}) {
            assertFalse(PasswordHash.verify("pw".toCharArray(), bad), bad);
        }
        assertFalse(PasswordHash.verify("pw".toCharArray(), null));
        assertFalse(PasswordHash.verify(null, hasher.hash("pw".toCharArray())));
    }

    @Test
    void an_empty_password_is_never_hashed() {
        assertThrows(IllegalArgumentException.class, () -> hasher.hash(new char[0]));
    }
}
