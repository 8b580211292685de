"""Progress reporting for background tasks (django-tasks with the database backend)."""

from __future__ import annotations

from case_core.models import JobProgress


def job_progress(
    context, *, name: str, done: int, total: int, message: str = "", case=None
) -> None:
    """Record how far a running task has got; pages and the API read JobProgress by task id."""
    JobProgress.objects.update_or_create(
        task_id=str(context.task_result.id),
        defaults={
            "name": name,
            "done": done,
            "total": total,
            "message": message[:300],
            "case": case,
        },
    )


def progress_of(task_id: str) -> JobProgress | None:
    return JobProgress.objects.filter(task_id=str(task_id)).first()
