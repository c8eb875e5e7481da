package org.bmsmqtt.bms.security;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UserInputTest {

    @Test
    void user_names_cannot_hold_a_colon_or_spaces() {
        assertEquals("ann.o-1@x", UserInput.username("ann.o-1@x"));
        for (String bad : new String[]{"", " ", "a:b", "a b", "x".repeat(101)}) {
            assertEquals("username", assertThrows(InvalidValueException.class, () -> UserInput.username(bad)).field());
        }
    }

    @Test
    void a_short_password_is_refused_without_repeating_it() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> UserInput.password("s3cr3t"));
        assertEquals("password", e.field());
        assertFalse(e.getMessage().contains("s3cr3t"));
    }

    @Test
    void a_password_with_a_colon_is_refused_because_basic_authentication_would_cut_it_there() {
        assertEquals("password", assertThrows(InvalidValueException.class,
                () -> UserInput.password("before:after-long")).field());
        assertEquals("password", assertThrows(InvalidValueException.class,
                () -> UserInput.password("tab\there-long")).field());
        assertEquals(12, UserInput.password("Grüße-€-pass").length);
    }

    @Test
    void roles_are_known_ones_and_at_least_one() {
        assertEquals(Set.of(Role.ADMIN, Role.VIEWER), UserInput.roles(List.of(Role.VIEWER, Role.ADMIN, Role.VIEWER)));
        assertEquals("roles", assertThrows(InvalidValueException.class, () -> UserInput.roles(List.of())).field());
        assertEquals("roles", assertThrows(InvalidValueException.class,
                () -> UserInput.roles(List.of("root"))).field());
    }

    @Test
    void generated_first_admin_passwords_are_long_and_differ() {
        String a = FirstAdmin.generate();
        assertEquals(24, a.length());
        UserInput.password(a);
        assertFalse(a.equals(FirstAdmin.generate()));
    }
}
