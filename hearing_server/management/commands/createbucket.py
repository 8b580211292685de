"""`tribunal createbucket`: create the S3 bucket of the case file if it does not exist
(TRIBUNAL_STORAGE=s3; the compose file's setup job runs it). Nothing to do with local files."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the S3 bucket of the case file if it does not exist (TRIBUNAL_STORAGE=s3)."

    def handle(self, *args, **options):
        if not hasattr(default_storage, "bucket_name"):
            self.stdout.write("local files: no bucket to create")
            return
        client = default_storage.connection.meta.client
        names = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
        if default_storage.bucket_name in names:
            self.stdout.write(f"bucket {default_storage.bucket_name} exists")
            return
        region = settings.STORAGES["default"]["OPTIONS"].get("region_name")
        extra = {}
        if region and region != "us-east-1":
            extra["CreateBucketConfiguration"] = {"LocationConstraint": region}
        client.create_bucket(Bucket=default_storage.bucket_name, **extra)
        self.stdout.write(f"bucket {default_storage.bucket_name} created")
