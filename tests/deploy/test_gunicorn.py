"""gunicorn.conf.py: a new worker has every view imported before its first request."""

import subprocess
import sys

from tests.deploy.commands import ROOT

# In a process of its own: in the test process the URLconf is long imported.
PROBE = """
import runpy, sys
import django
django.setup()
config = runpy.run_path("gunicorn.conf.py")
before = "knowledge.views" in sys.modules
config["post_worker_init"](None)
print(before, "knowledge.views" in sys.modules, "api.views" in sys.modules)
"""


def test_a_new_worker_imports_every_view_before_its_first_request():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "apap_portal.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["False", "True", "True"]
