"""Fixtures of the portal's own tests."""

import boto3
import pytest
from django.core.files.storage import storages
from moto import mock_aws


@pytest.fixture
def s3_storage(settings):
    """The default storage on S3 (moto's, in memory): private, signed URLs of 5 minutes."""
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="apap-media")
        settings.MEDIA_STORAGE = "s3"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "apap-media",
                    "region_name": "us-east-1",
                    "access_key": "testing",
                    "secret_key": "testing",
                    "default_acl": "private",
                    "querystring_auth": True,
                    "querystring_expire": 300,
                    "signature_version": "s3v4",
                    "file_overwrite": False,
                },
            },
        }
        storages._storages = {}
        yield storages["default"]
        storages._storages = {}
