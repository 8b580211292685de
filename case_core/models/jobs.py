from django.db import models


class JobProgress(models.Model):
    """Progress reported by a background task, keyed by the task result id."""

    task_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    case = models.ForeignKey(
        "case_core.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
