-- A task may ask for several checks per window (e.g. "at least twice a day"):
-- records are no longer unique per window.
DROP INDEX inspection_records_window;
CREATE INDEX inspection_records_task ON inspection_records (task_id, window_start);
