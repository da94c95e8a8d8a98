-- Issue 16: each shop's sync, sweep and nightly check became jobs of their own (sync-shop,
-- sweep-shop, nightly-shop, one per shop); the jobs that passed over every shop in turn go.
DELETE FROM scheduled_tasks WHERE task_name IN ('sync', 'sweep', 'nightly');
