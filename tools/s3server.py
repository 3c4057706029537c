"""An S3-compatible server for tests: moto's standalone server on a loopback port.

Started by the test that needs it and stopped after (its objects live in memory only).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Any value works against moto; real deployments take theirs from the environment.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "sopapp-test",
    "AWS_SECRET_ACCESS_KEY": "sopapp-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def create_bucket(self, name: str) -> None:
        self.client().create_bucket(Bucket=name)

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        paginator = self.client().get_paginator("list_objects_v2")
        return [
            item["Key"]
            for page in paginator.paginate(Bucket=bucket, Prefix=prefix)
            for item in page.get("Contents", [])
        ]

    def storage_options(self, bucket: str, prefix: str = "sopapp") -> dict:
        """The OPTIONS our settings give django-storages for ``SOPAPP_FILE_STORAGE=s3``."""
        return {
            "bucket_name": bucket,
            "endpoint_url": self.endpoint,
            "region_name": CREDENTIALS["AWS_DEFAULT_REGION"],
            "location": prefix,
            "default_acl": "private",
            "file_overwrite": False,
            "signature_version": "s3v4",
            "addressing_style": "path",
            "access_key": CREDENTIALS["AWS_ACCESS_KEY_ID"],
            "secret_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        }


def _executable() -> str:
    beside = Path(sys.executable).with_name("moto_server")
    found = str(beside) if beside.exists() else shutil.which("moto_server")
    if not found:
        raise RuntimeError(
            "moto_server is not installed: `make install-test` installs the test extras."
        )
    return found


@contextmanager
def s3_server(timeout: float = 30) -> Iterator[S3Server]:
    port = free_port()
    env = dict(os.environ, **CREDENTIALS)
    process = subprocess.Popen(  # noqa: S603 (fixed arguments, loopback only)
        [_executable(), "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {process.returncode}")
            try:
                with urllib.request.urlopen(endpoint + "/", timeout=2):  # noqa: S310 (loopback)
                    break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        yield S3Server(endpoint=endpoint, process=process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
