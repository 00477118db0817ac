-- One row per task step of a run (from runstream.executions.tasks), for history; redeliveries are ignored.
CREATE TABLE execution_task_steps (
    execution_id  uuid        NOT NULL,
    tenant        text        NOT NULL,
    attempt       int         NOT NULL,
    position      text        NOT NULL,
    started_at    timestamptz NOT NULL,
    name          text        NOT NULL,
    task_type     text        NOT NULL,
    status        text        NOT NULL,
    task_attempts int         NOT NULL,
    ended_at      timestamptz NOT NULL,
    error_code    text,
    error_message text,
    PRIMARY KEY (execution_id, attempt, position, started_at)
);
