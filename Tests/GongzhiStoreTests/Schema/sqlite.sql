CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN UPDATE case_counts SET n = n - 1
WHERE community_id = old.community_id AND grid_id = COALESCE(old.grid_id, 0) AND status = old.status; END;
CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN INSERT INTO case_counts (community_id, grid_id, status, n)
VALUES (new.community_id, COALESCE(new.grid_id, 0), new.status, 1)
ON CONFLICT (community_id, grid_id, status) DO UPDATE SET n = case_counts.n + 1; END;
CREATE TRIGGER case_counts_update AFTER UPDATE OF status, community_id, grid_id ON cases
WHEN old.status IS NOT new.status OR old.community_id IS NOT new.community_id
  OR old.grid_id IS NOT new.grid_id
BEGIN UPDATE case_counts SET n = n - 1
WHERE community_id = old.community_id AND grid_id = COALESCE(old.grid_id, 0) AND status = old.status; INSERT INTO case_counts (community_id, grid_id, status, n)
VALUES (new.community_id, COALESCE(new.grid_id, 0), new.status, 1)
ON CONFLICT (community_id, grid_id, status) DO UPDATE SET n = case_counts.n + 1; END;
CREATE TRIGGER case_measure_rollups_delete AFTER DELETE ON cases BEGIN UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'grid' AND span = 16 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 1382400000 AND member_id = COALESCE(old.grid_id, 0); UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'grid' AND span = 1 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 86400000 AND member_id = COALESCE(old.grid_id, 0); UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'unit' AND span = 16 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 1382400000 AND member_id = COALESCE(old.unit_id, 0); UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'unit' AND span = 1 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 86400000 AND member_id = COALESCE(old.unit_id, 0); UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'category' AND span = 16 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 1382400000 AND member_id = COALESCE(old.category_id, 0); UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'category' AND span = 1 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 86400000 AND member_id = COALESCE(old.category_id, 0); END;
CREATE TRIGGER case_measure_rollups_insert AFTER INSERT ON cases BEGIN INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'grid', COALESCE(new.grid_id, 0), 16,
  (new.created_at + 28800000) / 1382400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'grid', COALESCE(new.grid_id, 0), 1,
  (new.created_at + 28800000) / 86400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'unit', COALESCE(new.unit_id, 0), 16,
  (new.created_at + 28800000) / 1382400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'unit', COALESCE(new.unit_id, 0), 1,
  (new.created_at + 28800000) / 86400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'category', COALESCE(new.category_id, 0), 16,
  (new.created_at + 28800000) / 1382400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'category', COALESCE(new.category_id, 0), 1,
  (new.created_at + 28800000) / 86400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; END;
CREATE TRIGGER case_measure_rollups_update AFTER UPDATE OF community_id, grid_id, unit_id, category_id, created_at, status, rating, responded_at, respond_by, closed_at, resolve_by ON cases WHEN old.community_id IS NOT new.community_id OR old.grid_id IS NOT new.grid_id OR old.unit_id IS NOT new.unit_id OR old.category_id IS NOT new.category_id OR old.created_at IS NOT new.created_at OR old.status IS NOT new.status OR old.rating IS NOT new.rating OR old.responded_at IS NOT new.responded_at OR old.respond_by IS NOT new.respond_by OR old.closed_at IS NOT new.closed_at OR old.resolve_by IS NOT new.resolve_by BEGIN UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'grid' AND span = 16 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 1382400000 AND member_id = COALESCE(old.grid_id, 0); UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'grid' AND span = 1 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 86400000 AND member_id = COALESCE(old.grid_id, 0); UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'unit' AND span = 16 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 1382400000 AND member_id = COALESCE(old.unit_id, 0); UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'unit' AND span = 1 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 86400000 AND member_id = COALESCE(old.unit_id, 0); UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'category' AND span = 16 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 1382400000 AND member_id = COALESCE(old.category_id, 0); UPDATE case_measure_rollups SET total = total - (1), dispatched = dispatched - (CASE WHEN old.unit_id IS NOT NULL THEN 1 ELSE 0 END), responded_in_time = responded_in_time - (CASE WHEN old.responded_at IS NOT NULL AND old.respond_by IS NOT NULL AND old.responded_at <= old.respond_by THEN 1 ELSE 0 END), filed = filed - (CASE WHEN old.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END), closed = closed - (CASE WHEN old.status = 'closed' THEN 1 ELSE 0 END), rated = rated - (CASE WHEN old.rating IS NOT NULL THEN 1 ELSE 0 END), satisfied = satisfied - (CASE WHEN old.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END), closed_with_deadline = closed_with_deadline - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL THEN 1 ELSE 0 END), closed_in_time = closed_in_time - (CASE WHEN old.status = 'closed' AND old.resolve_by IS NOT NULL AND old.closed_at <= old.resolve_by THEN 1 ELSE 0 END), closed_timed = closed_timed - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN 1 ELSE 0 END), closed_millis = closed_millis - (CASE WHEN old.status = 'closed' AND old.closed_at IS NOT NULL THEN old.closed_at - old.created_at ELSE 0 END)
WHERE dimension = 'category' AND span = 1 AND community_id = old.community_id
  AND bucket = (old.created_at + 28800000) / 86400000 AND member_id = COALESCE(old.category_id, 0); INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'grid', COALESCE(new.grid_id, 0), 16,
  (new.created_at + 28800000) / 1382400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'grid', COALESCE(new.grid_id, 0), 1,
  (new.created_at + 28800000) / 86400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'unit', COALESCE(new.unit_id, 0), 16,
  (new.created_at + 28800000) / 1382400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'unit', COALESCE(new.unit_id, 0), 1,
  (new.created_at + 28800000) / 86400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'category', COALESCE(new.category_id, 0), 16,
  (new.created_at + 28800000) / 1382400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; INSERT INTO case_measure_rollups (community_id, dimension, member_id, span, bucket, total, dispatched, responded_in_time, filed, closed, rated, satisfied, closed_with_deadline, closed_in_time, closed_timed, closed_millis)
VALUES (new.community_id, 'category', COALESCE(new.category_id, 0), 1,
  (new.created_at + 28800000) / 86400000, 1, CASE WHEN new.unit_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.responded_at IS NOT NULL AND new.respond_by IS NOT NULL AND new.responded_at <= new.respond_by THEN 1 ELSE 0 END, CASE WHEN new.status NOT IN ('submitted','rejected') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN new.rating IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.rating IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.resolve_by IS NOT NULL AND new.closed_at <= new.resolve_by THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.status = 'closed' AND new.closed_at IS NOT NULL THEN new.closed_at - new.created_at ELSE 0 END)
ON CONFLICT (dimension, span, community_id, bucket, member_id) DO UPDATE SET total = case_measure_rollups.total + excluded.total, dispatched = case_measure_rollups.dispatched + excluded.dispatched, responded_in_time = case_measure_rollups.responded_in_time + excluded.responded_in_time, filed = case_measure_rollups.filed + excluded.filed, closed = case_measure_rollups.closed + excluded.closed, rated = case_measure_rollups.rated + excluded.rated, satisfied = case_measure_rollups.satisfied + excluded.satisfied, closed_with_deadline = case_measure_rollups.closed_with_deadline + excluded.closed_with_deadline, closed_in_time = case_measure_rollups.closed_in_time + excluded.closed_in_time, closed_timed = case_measure_rollups.closed_timed + excluded.closed_timed, closed_millis = case_measure_rollups.closed_millis + excluded.closed_millis; END;
CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
  INSERT INTO cases_fts (cases_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description); END;
CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
  INSERT INTO cases_fts (rowid, title, description) VALUES (new.id, new.title, new.description); END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF title, description ON cases BEGIN
  INSERT INTO cases_fts (cases_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
  INSERT INTO cases_fts (rowid, title, description) VALUES (new.id, new.title, new.description); END;
CREATE TABLE api_tokens (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id BIGINT NOT NULL REFERENCES users(id), name TEXT NOT NULL,
  token_hash TEXT NOT NULL, prefix TEXT NOT NULL, created_at BIGINT NOT NULL, last_used_at BIGINT,
  revoked_at BIGINT);
CREATE TABLE audit_checkpoints (seq BIGINT PRIMARY KEY, hash TEXT NOT NULL, verified_at BIGINT NOT NULL, mac TEXT NOT NULL);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL, keyed_from BIGINT NOT NULL DEFAULT 1, mac TEXT);
CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, actor_user_id BIGINT,
  actor_name TEXT NOT NULL, role TEXT, node_id BIGINT, community_id BIGINT, action TEXT NOT NULL,
  object_type TEXT NOT NULL, object_id TEXT NOT NULL, result TEXT NOT NULL, before_state TEXT,
  after_state TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE bodies (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL,
  name TEXT NOT NULL, created_at BIGINT NOT NULL, position INTEGER NOT NULL DEFAULT 0, closed_at BIGINT, version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE calendar_days (day TEXT PRIMARY KEY, is_workday INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '');
CREATE TABLE care_groups (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id), name TEXT NOT NULL,
  tag TEXT, frequency_days INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE TABLE care_members (group_id BIGINT NOT NULL REFERENCES care_groups(id),
  person_id BIGINT NOT NULL REFERENCES registry_people(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
  visitor_user_id BIGINT REFERENCES users(id), added_on TEXT NOT NULL, last_visited_on TEXT,
  next_due_on TEXT NOT NULL, PRIMARY KEY (group_id, person_id));
CREATE TABLE care_visits (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  person_id BIGINT NOT NULL REFERENCES registry_people(id), visitor_user_id BIGINT REFERENCES users(id),
  visited_on TEXT NOT NULL, method TEXT NOT NULL, findings_sealed TEXT NOT NULL,
  follow_up INTEGER NOT NULL DEFAULT 0, case_id BIGINT REFERENCES cases(id), created_at BIGINT NOT NULL);
CREATE TABLE case_attributes (case_id BIGINT NOT NULL REFERENCES cases(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
  code TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE case_callers (case_id BIGINT PRIMARY KEY REFERENCES cases(id), community_id BIGINT NOT NULL,
  name_sealed TEXT NOT NULL, phone_sealed TEXT NOT NULL, phone_index TEXT NOT NULL, recorded_by BIGINT,
  created_at BIGINT NOT NULL);
CREATE TABLE case_categories (id INTEGER PRIMARY KEY AUTOINCREMENT, node_id BIGINT NOT NULL REFERENCES nodes(id), parent_id BIGINT REFERENCES case_categories(id),
  name TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0, closed_at BIGINT, service_type TEXT NOT NULL DEFAULT 'realtime', attributes TEXT NOT NULL DEFAULT '[]', public_by_default INTEGER NOT NULL DEFAULT 1);
CREATE TABLE case_counts (community_id BIGINT NOT NULL REFERENCES nodes(id), grid_id BIGINT NOT NULL,
  status TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (community_id, grid_id, status));
CREATE TABLE case_events (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id BIGINT NOT NULL REFERENCES cases(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
  at BIGINT NOT NULL, actor_user_id BIGINT REFERENCES users(id), action TEXT NOT NULL, from_status TEXT, to_status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '');
CREATE TABLE case_extension_requests (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id BIGINT NOT NULL REFERENCES cases(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), requested_by BIGINT REFERENCES users(id), requested_at BIGINT NOT NULL,
  until BIGINT NOT NULL, reason TEXT NOT NULL, decided_by BIGINT REFERENCES users(id), decided_at BIGINT,
  approved INTEGER, note TEXT NOT NULL DEFAULT '');
CREATE TABLE case_followers (case_id BIGINT NOT NULL REFERENCES cases(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), user_id BIGINT NOT NULL REFERENCES users(id),
  supporter INTEGER NOT NULL DEFAULT 0, following INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL,
  PRIMARY KEY (case_id, user_id));
CREATE TABLE case_grid_steps (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id BIGINT NOT NULL REFERENCES cases(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), step TEXT NOT NULL, at BIGINT NOT NULL,
  by_user_id BIGINT REFERENCES users(id), note TEXT NOT NULL DEFAULT '');
CREATE TABLE case_measure_rollups (community_id BIGINT NOT NULL REFERENCES nodes(id),
  dimension TEXT NOT NULL, member_id BIGINT NOT NULL, span INTEGER NOT NULL, bucket BIGINT NOT NULL,
  total BIGINT NOT NULL, dispatched BIGINT NOT NULL, responded_in_time BIGINT NOT NULL, filed BIGINT NOT NULL, closed BIGINT NOT NULL, rated BIGINT NOT NULL, satisfied BIGINT NOT NULL, closed_with_deadline BIGINT NOT NULL, closed_in_time BIGINT NOT NULL, closed_timed BIGINT NOT NULL, closed_millis BIGINT NOT NULL, PRIMARY KEY (dimension, span, community_id, bucket, member_id));
CREATE TABLE case_photos (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id BIGINT NOT NULL REFERENCES cases(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
  content_type TEXT NOT NULL, bytes BLOB NOT NULL, size INTEGER NOT NULL, uploaded_by BIGINT, created_at BIGINT NOT NULL);
CREATE TABLE case_reminders (case_id BIGINT NOT NULL REFERENCES cases(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL, at BIGINT NOT NULL,
  PRIMARY KEY (case_id, kind));
CREATE TABLE cases (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL, kind TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL,
  title TEXT NOT NULL, description TEXT NOT NULL, category_id BIGINT REFERENCES case_categories(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), node_id BIGINT NOT NULL REFERENCES nodes(id),
  node_path TEXT NOT NULL, reporter_user_id BIGINT REFERENCES users(id), is_public INTEGER NOT NULL DEFAULT 0,
  unit_id BIGINT REFERENCES units(id), created_at BIGINT NOT NULL, respond_by BIGINT, resolve_by BIGINT,
  responded_at BIGINT, closed_at BIGINT, rating TEXT, rating_comment TEXT, reopen_count INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL, version INTEGER NOT NULL DEFAULT 1, escalation_level INTEGER NOT NULL DEFAULT 0, escalated_at BIGINT, grid_id BIGINT REFERENCES nodes(id), latitude DOUBLE PRECISION, longitude DOUBLE PRECISION, dispute_grade TEXT, merged_into_id BIGINT REFERENCES cases(id), facility_id BIGINT REFERENCES registry_facilities(id));
CREATE VIRTUAL TABLE cases_fts USING fts5(title, description, content='cases', content_rowid='id', tokenize='trigram');
CREATE TABLE 'cases_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'cases_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'cases_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'cases_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE convention_versions (convention_id BIGINT NOT NULL REFERENCES conventions(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), number INTEGER NOT NULL, text TEXT NOT NULL,
  resolution_id BIGINT REFERENCES resolutions(id), effective_on TEXT NOT NULL, created_by BIGINT,
  created_at BIGINT NOT NULL, filed_at BIGINT, filed_by BIGINT, acknowledged_at BIGINT,
  acknowledged_by BIGINT, PRIMARY KEY (convention_id, number));
CREATE TABLE conventions (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  estate_id BIGINT REFERENCES estates(id), kind TEXT NOT NULL, title TEXT NOT NULL, created_by BIGINT,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version INTEGER NOT NULL DEFAULT 1);
CREATE TABLE duty_items (id INTEGER PRIMARY KEY AUTOINCREMENT, body_id BIGINT NOT NULL REFERENCES bodies(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), parent_id BIGINT REFERENCES duty_items(id),
  title TEXT NOT NULL, position INTEGER NOT NULL, closed_at BIGINT);
CREATE TABLE estates (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id), name TEXT NOT NULL,
  created_at BIGINT NOT NULL);
CREATE TABLE idempotency_entries (scope TEXT NOT NULL, user_id BIGINT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
  result TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (scope, user_id, key));
CREATE TABLE login_failures (id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT NOT NULL, username TEXT NOT NULL, at BIGINT NOT NULL);
CREATE TABLE mediation_sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id BIGINT NOT NULL REFERENCES cases(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
  at BIGINT NOT NULL, method TEXT NOT NULL, mediator TEXT NOT NULL, parties TEXT NOT NULL, summary TEXT NOT NULL,
  agreement TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL, recorded_by BIGINT REFERENCES users(id));
CREATE TABLE meeting_attachments (id INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), name TEXT NOT NULL, content_type TEXT NOT NULL,
  size INTEGER NOT NULL, bytes BLOB NOT NULL, uploaded_by BIGINT, uploaded_at BIGINT NOT NULL);
CREATE TABLE meeting_attendance (id INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), person_id BIGINT NOT NULL REFERENCES registry_people(id),
  household_id BIGINT, household_key BIGINT, signed_at BIGINT NOT NULL, recorded_by BIGINT);
CREATE TABLE meeting_events (id INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), at BIGINT NOT NULL, actor_user_id BIGINT,
  action TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE meetings (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL, community_id BIGINT NOT NULL REFERENCES nodes(id),
  kind TEXT NOT NULL, title TEXT NOT NULL, place TEXT NOT NULL, starts_at BIGINT NOT NULL,
  announced_at BIGINT NOT NULL, notice_reason TEXT, rule_set_id TEXT NOT NULL, state TEXT NOT NULL,
  basis TEXT, entitled INTEGER, present INTEGER, quorate INTEGER, held_at BIGINT, minutes TEXT NOT NULL,
  summary TEXT NOT NULL, cancel_reason TEXT, created_by BIGINT, updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1, attendance_basis TEXT);
CREATE TABLE node_history (id INTEGER PRIMARY KEY AUTOINCREMENT, node_id BIGINT NOT NULL REFERENCES nodes(id), community_id BIGINT,
  at BIGINT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL, actor_user_id BIGINT);
CREATE TABLE nodes (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, name TEXT NOT NULL, code TEXT,
  parent_id BIGINT REFERENCES nodes(id), path TEXT NOT NULL,
  community_id BIGINT REFERENCES nodes(id), estate_id BIGINT,
  created_at BIGINT NOT NULL, closed_at BIGINT, latitude DOUBLE PRECISION, longitude DOUBLE PRECISION, version INTEGER NOT NULL DEFAULT 0, boundary TEXT, boundary_min_lat DOUBLE PRECISION, boundary_max_lat DOUBLE PRECISION, boundary_min_lng DOUBLE PRECISION, boundary_max_lng DOUBLE PRECISION);
CREATE TABLE notifications (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id BIGINT NOT NULL REFERENCES users(id), community_id BIGINT REFERENCES nodes(id),
  case_id BIGINT REFERENCES cases(id), at BIGINT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, read_at BIGINT, subject_kind TEXT NOT NULL DEFAULT 'case', subject_id BIGINT);
CREATE TABLE "open311_tokens" (token TEXT PRIMARY KEY, case_id BIGINT NOT NULL REFERENCES cases(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id));
CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, notification_id BIGINT NOT NULL REFERENCES notifications(id), channel TEXT NOT NULL,
  created_at BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  sent_at BIGINT, last_error TEXT, claimed_until BIGINT);
CREATE TABLE registry_corrections (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  person_id BIGINT NOT NULL REFERENCES registry_people(id), author_user_id BIGINT NOT NULL REFERENCES users(id),
  field TEXT NOT NULL, note_sealed TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', reason TEXT,
  handler_user_id BIGINT, created_at BIGINT NOT NULL, answered_at BIGINT);
CREATE TABLE registry_exports (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  requested_by BIGINT NOT NULL REFERENCES users(id), reason TEXT NOT NULL, filter TEXT NOT NULL,
  status TEXT NOT NULL, decided_by BIGINT REFERENCES users(id), decided_at BIGINT, row_count INTEGER,
  downloaded_at BIGINT, created_at BIGINT NOT NULL, kind TEXT NOT NULL DEFAULT 'people');
CREATE TABLE registry_facilities (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  district_id BIGINT NOT NULL REFERENCES nodes(id), node_id BIGINT NOT NULL REFERENCES nodes(id),
  code TEXT NOT NULL, class_code TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', latitude DOUBLE PRECISION NOT NULL,
  longitude DOUBLE PRECISION NOT NULL, state TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE registry_house_owners (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  house_id BIGINT NOT NULL REFERENCES registry_houses(id), building_id BIGINT NOT NULL REFERENCES nodes(id),
  person_id BIGINT REFERENCES registry_people(id), name_sealed TEXT, owner_key TEXT NOT NULL,
  share INTEGER NOT NULL, created_at BIGINT NOT NULL, removed_at BIGINT);
CREATE TABLE registry_households (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  number TEXT NOT NULL, building_id BIGINT REFERENCES nodes(id), house_id BIGINT REFERENCES registry_houses(id),
  head_person_id BIGINT, version INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE TABLE registry_houses (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  building_id BIGINT NOT NULL REFERENCES nodes(id), unit TEXT NOT NULL DEFAULT '', floor INTEGER,
  room TEXT NOT NULL, house_use TEXT NOT NULL, area_centi BIGINT, version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE registry_moves (id INTEGER PRIMARY KEY AUTOINCREMENT, person_id BIGINT NOT NULL REFERENCES registry_people(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL, on_date TEXT,
  building_id BIGINT, house_id BIGINT, at BIGINT NOT NULL, actor_user_id BIGINT);
CREATE TABLE registry_organisations (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  node_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL, name TEXT NOT NULL,
  credit_code TEXT, registration TEXT, registration_number TEXT, address TEXT NOT NULL DEFAULT '',
  contacts_sealed TEXT, closed_at BIGINT, version INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE TABLE registry_people (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  building_id BIGINT REFERENCES nodes(id), house_id BIGINT REFERENCES registry_houses(id),
  household_id BIGINT REFERENCES registry_households(id), relation TEXT,
  name_sealed TEXT NOT NULL, document_kind TEXT NOT NULL, document_sealed TEXT NOT NULL,
  document_index TEXT, phone_sealed TEXT, phone_index TEXT, phone_tail_index TEXT,
  sex TEXT NOT NULL, birth_date TEXT NOT NULL, ethnicity TEXT, residence TEXT NOT NULL,
  permit_start TEXT, permit_end TEXT, moved_in_on TEXT, moved_out_on TEXT, tags TEXT NOT NULL DEFAULT '',
  sensitive_sealed TEXT, anonymised_at BIGINT, version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE registry_person_accounts (person_id BIGINT PRIMARY KEY REFERENCES registry_people(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), user_id BIGINT NOT NULL UNIQUE REFERENCES users(id),
  bound_at BIGINT NOT NULL);
CREATE TABLE registry_person_tags (person_id BIGINT NOT NULL REFERENCES registry_people(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), tag TEXT NOT NULL, PRIMARY KEY (person_id, tag));
CREATE TABLE registry_person_terms (person_id BIGINT NOT NULL REFERENCES registry_people(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), term TEXT NOT NULL, PRIMARY KEY (person_id, term));
CREATE TABLE registry_reminders (person_id BIGINT NOT NULL REFERENCES registry_people(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL, reminder_key TEXT NOT NULL,
  at BIGINT NOT NULL, PRIMARY KEY (person_id, kind, reminder_key));
CREATE TABLE registry_rental_tenants (rental_id BIGINT NOT NULL REFERENCES registry_rentals(id),
  person_id BIGINT NOT NULL REFERENCES registry_people(id), community_id BIGINT NOT NULL REFERENCES nodes(id),
  PRIMARY KEY (rental_id, person_id));
CREATE TABLE registry_rentals (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  house_id BIGINT NOT NULL REFERENCES registry_houses(id), building_id BIGINT NOT NULL REFERENCES nodes(id),
  landlord_owner_id BIGINT NOT NULL REFERENCES registry_house_owners(id), start_on TEXT NOT NULL,
  end_on TEXT NOT NULL, ended_on TEXT, last_on TEXT NOT NULL, purpose TEXT NOT NULL,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE registry_reviews (id INTEGER PRIMARY KEY AUTOINCREMENT, community_id BIGINT NOT NULL REFERENCES nodes(id),
  person_id BIGINT NOT NULL REFERENCES registry_people(id), action TEXT NOT NULL, before_json TEXT, after_json TEXT NOT NULL,
  author_user_id BIGINT, created_at BIGINT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', note TEXT,
  reviewer_user_id BIGINT, reviewed_at BIGINT);
CREATE TABLE report_draft_photos (id INTEGER PRIMARY KEY AUTOINCREMENT, draft_id BIGINT NOT NULL REFERENCES report_drafts(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), content_type TEXT NOT NULL, size INTEGER NOT NULL,
  bytes BLOB NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE report_drafts (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id BIGINT NOT NULL UNIQUE REFERENCES users(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), kind_answered INTEGER NOT NULL DEFAULT 0,
  category_id BIGINT, node_id BIGINT, latitude DOUBLE PRECISION, longitude DOUBLE PRECISION,
  title TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', is_public INTEGER,
  idempotency_key TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE TABLE resolution_cases (resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), case_id BIGINT NOT NULL REFERENCES cases(id),
  PRIMARY KEY (resolution_id, case_id));
CREATE TABLE resolution_events (id INTEGER PRIMARY KEY AUTOINCREMENT, resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), at BIGINT NOT NULL, actor_user_id BIGINT,
  action TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE resolution_executors (resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL, ref_id BIGINT NOT NULL,
  position INTEGER NOT NULL, PRIMARY KEY (resolution_id, kind, ref_id));
CREATE TABLE resolution_photos (id INTEGER PRIMARY KEY AUTOINCREMENT, resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), content_type TEXT NOT NULL, bytes BLOB NOT NULL,
  size INTEGER NOT NULL, uploaded_by BIGINT, created_at BIGINT NOT NULL);
CREATE TABLE resolution_progress (id INTEGER PRIMARY KEY AUTOINCREMENT, resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), at BIGINT NOT NULL, by_user_id BIGINT,
  note TEXT NOT NULL, evidence TEXT NOT NULL, percent_done INTEGER NOT NULL);
CREATE TABLE resolution_ratings (resolution_id BIGINT NOT NULL REFERENCES resolutions(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), round INTEGER NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users(id), rating TEXT NOT NULL, comment TEXT NOT NULL,
  at BIGINT NOT NULL, PRIMARY KEY (resolution_id, round, user_id));
CREATE TABLE resolutions (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL, community_id BIGINT NOT NULL REFERENCES nodes(id),
  topic_id BIGINT REFERENCES topics(id), meeting_id BIGINT REFERENCES meetings(id), vote_id BIGINT,
  source TEXT NOT NULL, text TEXT NOT NULL, outcome TEXT, adopted_on TEXT NOT NULL, deadline TEXT NOT NULL,
  state TEXT NOT NULL, percent_done INTEGER NOT NULL DEFAULT 0, last_progress_at BIGINT, completed_on TEXT,
  review_round INTEGER NOT NULL DEFAULT 0, last_review_on TEXT, next_review_on TEXT,
  escalation_level INTEGER NOT NULL DEFAULT 0, escalated_at BIGINT, created_by BIGINT,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version INTEGER NOT NULL DEFAULT 1);
CREATE TABLE role_grants (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id BIGINT NOT NULL REFERENCES users(id), role TEXT NOT NULL,
  node_id BIGINT NOT NULL REFERENCES nodes(id), community_id BIGINT REFERENCES nodes(id),
  granted_by BIGINT REFERENCES users(id), granted_at BIGINT NOT NULL);
CREATE TABLE routing_rules (id INTEGER PRIMARY KEY AUTOINCREMENT, node_id BIGINT NOT NULL REFERENCES nodes(id), category_id BIGINT NOT NULL REFERENCES case_categories(id),
  unit_id BIGINT NOT NULL REFERENCES units(id), respond_hours INTEGER NOT NULL, resolve_hours INTEGER NOT NULL,
  working_time INTEGER NOT NULL DEFAULT 1);
CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);
CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, ended_at BIGINT, address TEXT, second_factor_pending INTEGER NOT NULL DEFAULT 0);
CREATE TABLE topic_cases (topic_id BIGINT NOT NULL REFERENCES topics(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), case_id BIGINT NOT NULL REFERENCES cases(id),
  linked_at BIGINT NOT NULL, linked_by BIGINT, PRIMARY KEY (topic_id, case_id));
CREATE TABLE topic_comment_reports (comment_id BIGINT NOT NULL REFERENCES topic_comments(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), user_id BIGINT NOT NULL REFERENCES users(id),
  at BIGINT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (comment_id, user_id));
CREATE TABLE topic_comments (id INTEGER PRIMARY KEY AUTOINCREMENT, topic_id BIGINT NOT NULL REFERENCES topics(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), author_user_id BIGINT REFERENCES users(id),
  body TEXT NOT NULL, created_at BIGINT NOT NULL, hidden_at BIGINT, hidden_by BIGINT, hidden_reason TEXT,
  reports INTEGER NOT NULL DEFAULT 0);
CREATE TABLE topic_cosign_rules (community_id BIGINT NOT NULL REFERENCES nodes(id), scope_kind TEXT NOT NULL,
  effective_from BIGINT NOT NULL, threshold INTEGER NOT NULL, window_days INTEGER NOT NULL,
  set_by BIGINT, set_at BIGINT NOT NULL, PRIMARY KEY (community_id, scope_kind, effective_from));
CREATE TABLE topic_cosignatures (topic_id BIGINT NOT NULL REFERENCES topics(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), user_id BIGINT NOT NULL REFERENCES users(id),
  at BIGINT NOT NULL, PRIMARY KEY (topic_id, user_id));
CREATE TABLE topic_events (id INTEGER PRIMARY KEY AUTOINCREMENT, topic_id BIGINT NOT NULL REFERENCES topics(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), at BIGINT NOT NULL, actor_user_id BIGINT,
  action TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE topics (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL, community_id BIGINT NOT NULL REFERENCES nodes(id),
  estate_id BIGINT REFERENCES estates(id), building_id BIGINT REFERENCES nodes(id), scope_path TEXT NOT NULL,
  origin TEXT NOT NULL, origin_body_id BIGINT REFERENCES bodies(id), origin_case_id BIGINT REFERENCES cases(id),
  proposer_user_id BIGINT REFERENCES users(id), title TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL,
  created_at BIGINT NOT NULL, submitted_at BIGINT, threshold INTEGER NOT NULL DEFAULT 0, collect_until BIGINT,
  co_signatures INTEGER NOT NULL DEFAULT 0, placed_by_organiser INTEGER NOT NULL DEFAULT 0, agenda_at BIGINT,
  meeting_id BIGINT, decided_at BIGINT, resolution_id BIGINT, archive_reason TEXT, archived_at BIGINT,
  updated_at BIGINT NOT NULL, version INTEGER NOT NULL DEFAULT 1, vote_id BIGINT REFERENCES votes(id));
CREATE TABLE unit_members (unit_id BIGINT NOT NULL REFERENCES units(id), user_id BIGINT NOT NULL REFERENCES users(id), PRIMARY KEY (unit_id, user_id));
CREATE TABLE units (id INTEGER PRIMARY KEY AUTOINCREMENT, node_id BIGINT NOT NULL REFERENCES nodes(id), community_id BIGINT REFERENCES nodes(id),
  body_id BIGINT REFERENCES bodies(id), name TEXT NOT NULL, created_at BIGINT NOT NULL, closed_at BIGINT);
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL, home_node_id BIGINT REFERENCES nodes(id),
  community_id BIGINT REFERENCES nodes(id), failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT, must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL, last_login_at BIGINT, disabled_at BIGINT, totp_secret TEXT, totp_enabled_at BIGINT, totp_last_step BIGINT, version INTEGER NOT NULL DEFAULT 1);
CREATE TABLE vote_choices (vote_id BIGINT NOT NULL REFERENCES votes(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), receipt TEXT NOT NULL, channel TEXT NOT NULL,
  ballot TEXT NOT NULL, voter_key TEXT, PRIMARY KEY (vote_id, receipt)) WITHOUT ROWID;
CREATE TABLE vote_events (id INTEGER PRIMARY KEY AUTOINCREMENT, vote_id BIGINT NOT NULL REFERENCES votes(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), at BIGINT NOT NULL, actor_user_id BIGINT,
  action TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE vote_paper_ballots (vote_id BIGINT NOT NULL REFERENCES votes(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), voter_key TEXT NOT NULL, box TEXT NOT NULL,
  mark TEXT NOT NULL, entered_by BIGINT, entered_at BIGINT NOT NULL, PRIMARY KEY (vote_id, voter_key));
CREATE TABLE vote_paper_boxes (vote_id BIGINT NOT NULL REFERENCES votes(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), box TEXT NOT NULL, issued INTEGER NOT NULL,
  returned INTEGER NOT NULL, void INTEGER NOT NULL, blank INTEGER NOT NULL, marks TEXT NOT NULL,
  scrutineers TEXT NOT NULL, photo_type TEXT NOT NULL, photo BLOB NOT NULL, entered_by BIGINT,
  entered_at BIGINT NOT NULL, signed_by_1 BIGINT, signed_at_1 BIGINT, signed_by_2 BIGINT,
  signed_at_2 BIGINT, PRIMARY KEY (vote_id, box));
CREATE TABLE vote_participation (vote_id BIGINT NOT NULL REFERENCES votes(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), voter_key TEXT NOT NULL, channel TEXT NOT NULL,
  box TEXT, cast_by BIGINT, by_proxy INTEGER NOT NULL, at BIGINT NOT NULL,
  PRIMARY KEY (vote_id, voter_key));
CREATE TABLE vote_proxies (vote_id BIGINT NOT NULL REFERENCES votes(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), principal_key TEXT NOT NULL,
  proxy_person_id BIGINT NOT NULL, document TEXT NOT NULL, signed_on TEXT NOT NULL, instructions TEXT,
  recorded_by BIGINT, recorded_at BIGINT NOT NULL, PRIMARY KEY (vote_id, principal_key));
CREATE TABLE vote_roll (vote_id BIGINT NOT NULL REFERENCES votes(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), voter_key TEXT NOT NULL, area_centi BIGINT,
  PRIMARY KEY (vote_id, voter_key));
CREATE TABLE vote_roll_casters (vote_id BIGINT NOT NULL REFERENCES votes(id),
  community_id BIGINT NOT NULL REFERENCES nodes(id), person_id BIGINT NOT NULL, voter_key TEXT NOT NULL,
  PRIMARY KEY (vote_id, person_id, voter_key));
CREATE TABLE votes (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL, community_id BIGINT NOT NULL REFERENCES nodes(id),
  scope_node_id BIGINT NOT NULL REFERENCES nodes(id), topic_id BIGINT REFERENCES topics(id),
  meeting_id BIGINT REFERENCES meetings(id), title TEXT NOT NULL, spec TEXT NOT NULL, basis TEXT NOT NULL,
  matter TEXT, opens_at BIGINT NOT NULL, closes_at BIGINT NOT NULL, secrecy TEXT NOT NULL,
  results_before_close INTEGER NOT NULL, proxies TEXT NOT NULL, rule_set_id TEXT NOT NULL,
  state TEXT NOT NULL, roll_size INTEGER NOT NULL DEFAULT 0, frozen_at BIGINT, closed_at BIGINT,
  published_at BIGINT, result TEXT, created_by BIGINT, created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL, version INTEGER NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_community ON audit_log (community_id, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX bodies_community ON bodies (community_id);
CREATE UNIQUE INDEX bodies_name ON bodies (community_id, name) WHERE closed_at IS NULL;
CREATE UNIQUE INDEX care_groups_name ON care_groups (community_id, name);
CREATE INDEX care_members_due ON care_members (community_id, next_due_on);
CREATE INDEX care_members_person ON care_members (person_id);
CREATE INDEX care_members_visitor ON care_members (visitor_user_id, next_due_on);
CREATE INDEX care_visits_community ON care_visits (community_id, visited_on);
CREATE INDEX care_visits_person ON care_visits (person_id, visited_on);
CREATE INDEX case_attributes_case ON case_attributes (case_id, code);
CREATE INDEX case_callers_community ON case_callers (community_id);
CREATE INDEX case_callers_phone ON case_callers (phone_index);
CREATE UNIQUE INDEX case_categories_name ON case_categories (node_id, parent_id, name);
CREATE INDEX case_events_case ON case_events (case_id, at);
CREATE INDEX case_extension_requests_case ON case_extension_requests (case_id, decided_at);
CREATE INDEX case_followers_community ON case_followers (community_id);
CREATE INDEX case_followers_user ON case_followers (user_id);
CREATE INDEX case_grid_steps_case ON case_grid_steps (case_id, step);
CREATE INDEX case_photos_case ON case_photos (case_id);
CREATE INDEX cases_closed_at ON cases (community_id, status, closed_at) WHERE status = 'closed';
CREATE INDEX cases_community ON cases (community_id, status, created_at);
CREATE INDEX cases_community_newest ON cases (community_id, id);
CREATE INDEX cases_community_overdue ON cases (community_id, status, resolve_by)
WHERE status IN ('dispatched','handling','reportedBack');
CREATE INDEX cases_community_status_newest
ON cases (community_id, status, id, grid_id, resolve_by, escalation_level);
CREATE INDEX cases_due ON cases (status, resolve_by);
CREATE INDEX cases_escalation_due ON cases (escalation_level, resolve_by)
WHERE status IN ('dispatched','handling','reportedBack');
CREATE INDEX cases_facility ON cases (facility_id, id);
CREATE INDEX cases_grid ON cases (grid_id);
CREATE INDEX cases_grid_escalated ON cases (community_id, grid_id)
WHERE escalation_level > 0 AND status IN ('submitted','filed','dispatched','handling','reportedBack');
CREATE INDEX cases_grid_overdue ON cases (community_id, grid_id, resolve_by)
WHERE status IN ('dispatched','handling','reportedBack');
CREATE INDEX cases_mapped ON cases (community_id, id) WHERE latitude IS NOT NULL;
CREATE INDEX cases_mapped_open ON cases (community_id, id)
WHERE latitude IS NOT NULL AND status IN ('submitted','filed','dispatched','handling','reportedBack');
CREATE UNIQUE INDEX cases_number ON cases (number);
CREATE INDEX cases_reporter ON cases (reporter_user_id, created_at);
CREATE INDEX cases_scope ON cases (node_path, status, created_at);
CREATE INDEX cases_status_newest ON cases (status, id);
CREATE INDEX cases_unit ON cases (unit_id, status);
CREATE INDEX cases_unrated_closed ON cases (closed_at) WHERE status = 'closed' AND rating IS NULL;
CREATE INDEX conventions_community ON conventions (community_id, id);
CREATE INDEX duty_items_body ON duty_items (body_id, position);
CREATE UNIQUE INDEX estates_name ON estates (community_id, name);
CREATE INDEX idempotency_entries_created ON idempotency_entries (created_at);
CREATE INDEX login_failures_address ON login_failures (address, at);
CREATE INDEX mediation_sessions_case ON mediation_sessions (case_id, at);
CREATE INDEX meeting_attachments_meeting ON meeting_attachments (meeting_id, id);
CREATE UNIQUE INDEX meeting_attendance_household ON meeting_attendance (meeting_id, household_key);
CREATE UNIQUE INDEX meeting_attendance_person ON meeting_attendance (meeting_id, person_id);
CREATE INDEX meeting_events_meeting ON meeting_events (meeting_id, at);
CREATE INDEX meetings_community ON meetings (community_id, starts_at);
CREATE UNIQUE INDEX meetings_number ON meetings (number);
CREATE INDEX node_history_node ON node_history (node_id, at);
CREATE INDEX nodes_boundary_box ON nodes (boundary_min_lat, boundary_max_lat);
CREATE UNIQUE INDEX nodes_code ON nodes (code) WHERE code IS NOT NULL;
CREATE INDEX nodes_community ON nodes (community_id);
CREATE INDEX nodes_kind_path ON nodes (kind, path);
CREATE UNIQUE INDEX nodes_open_sibling_name ON nodes (parent_id, name) WHERE closed_at IS NULL;
CREATE INDEX nodes_parent ON nodes (parent_id);
CREATE UNIQUE INDEX nodes_path ON nodes (path);
CREATE INDEX nodes_point ON nodes (latitude, longitude) WHERE latitude IS NOT NULL;
CREATE INDEX notifications_case ON notifications (case_id);
CREATE INDEX notifications_subject ON notifications (subject_kind, subject_id);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);
CREATE INDEX open311_tokens_case ON open311_tokens (case_id);
CREATE INDEX outbox_pending ON outbox (sent_at, next_attempt_at);
CREATE INDEX registry_corrections_author ON registry_corrections (author_user_id, id);
CREATE INDEX registry_corrections_queue ON registry_corrections (community_id, status, id);
CREATE INDEX registry_exports_community ON registry_exports (community_id, status, id);
CREATE UNIQUE INDEX registry_facilities_code ON registry_facilities (district_id, code);
CREATE INDEX registry_facilities_community ON registry_facilities (community_id, id);
CREATE INDEX registry_facilities_node ON registry_facilities (node_id);
CREATE INDEX registry_house_owners_building ON registry_house_owners (building_id, owner_key);
CREATE INDEX registry_house_owners_community ON registry_house_owners (community_id, owner_key);
CREATE UNIQUE INDEX registry_house_owners_key ON registry_house_owners (house_id, owner_key)
  WHERE removed_at IS NULL;
CREATE INDEX registry_house_owners_person ON registry_house_owners (person_id);
CREATE UNIQUE INDEX registry_households_number ON registry_households (community_id, number);
CREATE INDEX registry_houses_community ON registry_houses (community_id, id);
CREATE UNIQUE INDEX registry_houses_room ON registry_houses (community_id, building_id, unit, room);
CREATE INDEX registry_moves_person ON registry_moves (person_id, id);
CREATE UNIQUE INDEX registry_organisations_code ON registry_organisations (credit_code) WHERE credit_code IS NOT NULL;
CREATE INDEX registry_organisations_community ON registry_organisations (community_id, closed_at, id);
CREATE INDEX registry_organisations_node ON registry_organisations (node_id);
CREATE INDEX registry_people_building ON registry_people (building_id, id);
CREATE INDEX registry_people_community ON registry_people (community_id, id);
CREATE UNIQUE INDEX registry_people_document ON registry_people (community_id, document_index);
CREATE INDEX registry_people_document_any ON registry_people (document_index);
CREATE INDEX registry_people_household ON registry_people (household_id);
CREATE INDEX registry_people_permit ON registry_people (community_id, permit_end);
CREATE INDEX registry_people_phone ON registry_people (community_id, phone_index);
CREATE INDEX registry_people_phone_tail ON registry_people (community_id, phone_tail_index);
CREATE INDEX registry_person_accounts_community ON registry_person_accounts (community_id);
CREATE INDEX registry_person_tags_tag ON registry_person_tags (community_id, tag, person_id);
CREATE INDEX registry_person_terms_newest ON registry_person_terms (term, person_id);
CREATE INDEX registry_person_terms_term ON registry_person_terms (community_id, term, person_id);
CREATE INDEX registry_reminders_community ON registry_reminders (community_id);
CREATE INDEX registry_rental_tenants_person ON registry_rental_tenants (person_id);
CREATE INDEX registry_rentals_building ON registry_rentals (building_id, last_on);
CREATE INDEX registry_rentals_community ON registry_rentals (community_id, last_on);
CREATE INDEX registry_rentals_house ON registry_rentals (house_id, last_on);
CREATE INDEX registry_reviews_author ON registry_reviews (author_user_id, status, id);
CREATE INDEX registry_reviews_queue ON registry_reviews (community_id, status, id);
CREATE INDEX report_draft_photos_draft ON report_draft_photos (draft_id);
CREATE INDEX report_drafts_community ON report_drafts (community_id);
CREATE INDEX resolution_cases_case ON resolution_cases (case_id);
CREATE INDEX resolution_events_resolution ON resolution_events (resolution_id, at);
CREATE INDEX resolution_executors_ref ON resolution_executors (kind, ref_id);
CREATE INDEX resolution_photos_resolution ON resolution_photos (resolution_id);
CREATE INDEX resolution_progress_resolution ON resolution_progress (resolution_id, at);
CREATE INDEX resolutions_community ON resolutions (community_id, id);
CREATE UNIQUE INDEX resolutions_number ON resolutions (number);
CREATE INDEX resolutions_open_deadline ON resolutions (deadline) WHERE state = 'inProgress';
CREATE INDEX resolutions_review_due ON resolutions (next_review_on) WHERE next_review_on IS NOT NULL;
CREATE INDEX resolutions_topic ON resolutions (topic_id) WHERE topic_id IS NOT NULL;
CREATE INDEX role_grants_node ON role_grants (node_id);
CREATE UNIQUE INDEX role_grants_unique ON role_grants (user_id, role, node_id);
CREATE UNIQUE INDEX routing_rules_scope ON routing_rules (node_id, category_id);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX topic_cases_case ON topic_cases (case_id);
CREATE INDEX topic_comments_topic ON topic_comments (topic_id, id);
CREATE INDEX topic_cosignatures_user ON topic_cosignatures (user_id);
CREATE INDEX topic_events_topic ON topic_events (topic_id, at);
CREATE INDEX topics_collecting_until ON topics (collect_until) WHERE state = 'collecting';
CREATE INDEX topics_community_state ON topics (community_id, state, id);
CREATE INDEX topics_meeting ON topics (meeting_id) WHERE meeting_id IS NOT NULL;
CREATE UNIQUE INDEX topics_number ON topics (number);
CREATE INDEX topics_proposer ON topics (proposer_user_id);
CREATE INDEX topics_scope_path ON topics (scope_path);
CREATE INDEX topics_vote ON topics (vote_id) WHERE vote_id IS NOT NULL;
CREATE INDEX unit_members_user ON unit_members (user_id);
CREATE UNIQUE INDEX units_name ON units (node_id, name);
CREATE INDEX users_community ON users (community_id);
CREATE INDEX users_home ON users (home_node_id);
CREATE UNIQUE INDEX users_username ON users (username);
CREATE INDEX vote_events_vote ON vote_events (vote_id, at);
CREATE INDEX vote_paper_ballots_box ON vote_paper_ballots (vote_id, box, mark);
CREATE INDEX vote_proxies_proxy ON vote_proxies (vote_id, proxy_person_id);
CREATE INDEX vote_roll_casters_key ON vote_roll_casters (vote_id, voter_key, person_id);
CREATE INDEX votes_community ON votes (community_id, closes_at);
CREATE INDEX votes_meeting ON votes (meeting_id) WHERE meeting_id IS NOT NULL;
CREATE UNIQUE INDEX votes_number ON votes (number);
CREATE INDEX votes_topic ON votes (topic_id) WHERE topic_id IS NOT NULL;
