CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TABLE api_tokens (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id BIGINT NOT NULL REFERENCES users(id), name TEXT NOT NULL,
  token_hash TEXT NOT NULL, prefix TEXT NOT NULL, created_at BIGINT NOT NULL, last_used_at BIGINT,
  revoked_at BIGINT);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, actor_user_id BIGINT,
  actor_name TEXT NOT NULL, role TEXT, node_id BIGINT, community_id BIGINT, action TEXT NOT NULL,
  object_type TEXT NOT NULL, object_id TEXT NOT NULL, result TEXT NOT NULL, before_state TEXT,
  after_state TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE bodies (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL,
  name TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE duty_items (id INTEGER PRIMARY KEY AUTOINCREMENT, body_id BIGINT NOT NULL REFERENCES bodies(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), parent_id BIGINT REFERENCES duty_items(id),
  title TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE estates (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id), name TEXT NOT NULL,
  created_at BIGINT NOT NULL);
CREATE TABLE login_failures (id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT NOT NULL, username TEXT NOT NULL, at BIGINT NOT NULL);
CREATE TABLE node_history (id INTEGER PRIMARY KEY AUTOINCREMENT, node_id BIGINT NOT NULL REFERENCES nodes(id), community_id BIGINT,
  at BIGINT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL, actor_user_id BIGINT);
CREATE TABLE nodes (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, name TEXT NOT NULL, code TEXT,
  parent_id BIGINT REFERENCES nodes(id), path TEXT NOT NULL,
  community_id BIGINT REFERENCES nodes(id), estate_id BIGINT,
  created_at BIGINT NOT NULL, closed_at BIGINT);
CREATE TABLE role_grants (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id BIGINT NOT NULL REFERENCES users(id), role TEXT NOT NULL,
  node_id BIGINT NOT NULL REFERENCES nodes(id), community_id BIGINT REFERENCES nodes(id),
  granted_by BIGINT REFERENCES users(id), granted_at BIGINT NOT NULL);
CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);
CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, ended_at BIGINT, address TEXT, second_factor_pending INTEGER NOT NULL DEFAULT 0);
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL, home_node_id BIGINT REFERENCES nodes(id),
  community_id BIGINT REFERENCES nodes(id), failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT, must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL, last_login_at BIGINT, disabled_at BIGINT, totp_secret TEXT, totp_enabled_at BIGINT, totp_last_step BIGINT);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_community ON audit_log (community_id, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX bodies_community ON bodies (community_id);
CREATE UNIQUE INDEX bodies_name ON bodies (community_id, name);
CREATE INDEX duty_items_body ON duty_items (body_id, position);
CREATE UNIQUE INDEX estates_name ON estates (community_id, name);
CREATE INDEX login_failures_address ON login_failures (address, at);
CREATE INDEX node_history_node ON node_history (node_id, at);
CREATE UNIQUE INDEX nodes_code ON nodes (code) WHERE code IS NOT NULL;
CREATE INDEX nodes_community ON nodes (community_id);
CREATE UNIQUE INDEX nodes_open_sibling_name ON nodes (parent_id, name) WHERE closed_at IS NULL;
CREATE INDEX nodes_parent ON nodes (parent_id);
CREATE UNIQUE INDEX nodes_path ON nodes (path);
CREATE INDEX role_grants_node ON role_grants (node_id);
CREATE UNIQUE INDEX role_grants_unique ON role_grants (user_id, role, node_id);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX users_community ON users (community_id);
CREATE UNIQUE INDEX users_username ON users (username);
