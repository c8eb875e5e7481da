-- Users of the admin API (Jakarta Security identity store: security.UserDirectory). Passwords are PBKDF2 hashes
-- with their salt and iteration count in the stored string (security.PasswordHash); never the password itself.
CREATE TABLE bms_user (
    id            BIGINT       NOT NULL PRIMARY KEY,
    username      VARCHAR(100) NOT NULL UNIQUE,
    password_hash VARCHAR(300) NOT NULL,
    version       BIGINT       NOT NULL DEFAULT 0
);
-- START WITH the increment: EclipseLink reads a value as the end of its block of 50 (see V2).
CREATE SEQUENCE bms_user_seq START WITH 50 INCREMENT BY 50;

-- The roles of a user: bms-admin (everything), bms-viewer (read only).
CREATE TABLE bms_user_role (
    user_id   BIGINT      NOT NULL REFERENCES bms_user (id) ON DELETE CASCADE,
    role_name VARCHAR(50) NOT NULL,
    PRIMARY KEY (user_id, role_name)
);
