"""deploy/compose.yaml: valid by the Compose Specification's schema, running what the
Procfile runs, with the paths the nginx site and the systemd units use.

The schema is the one Debian's docker-compose package ships (compose_spec.json), so the
check needs no network; `docker-compose config` then reads the file as Compose does
(variables, the env file, the merged service definitions).
"""

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.deploy.commands import DEPLOY, ROOT, SERVER_CHECKOUT, check_command, procfile
from tests.deploy.nginx import block, directives, site_text

COMPOSE = DEPLOY / "compose.yaml"
# Installed by Debian's docker-compose (scripts/install-system-packages test).
SCHEMA = Path("/usr/lib/python3/dist-packages/compose/config/compose_spec.json")


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def schema_errors(document: dict) -> list[str]:
    if not SCHEMA.is_file():
        pytest.skip(f"no Compose Specification schema at {SCHEMA} (apt-get install docker-compose)")
    schema = json.loads(SCHEMA.read_text())
    # It names draft 2019-09 with a trailing "#" that jsonschema does not recognise.
    validator = jsonschema.Draft201909Validator(schema)
    return [
        f"{'/'.join(map(str, error.path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def test_the_compose_file_is_valid_by_the_compose_specification():
    assert schema_errors(compose()) == []


def test_the_schema_check_can_fail():
    document = compose()
    document["services"]["web"]["restart_policy"] = "always"

    assert any("restart_policy" in error for error in schema_errors(document))


def test_docker_compose_reads_the_file(tmp_path):
    program = shutil.which("docker-compose")
    if not program:
        pytest.skip("docker-compose is not installed (scripts/install-system-packages test)")
    environment_file = tmp_path / "env"
    environment_file.write_text("DJANGO_DEBUG=false\n")

    result = subprocess.run(
        [program, "--file", str(COMPOSE), "config", "--quiet"],
        env={"PATH": "/usr/bin:/bin", "APAP_ENV_FILE": str(environment_file)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert (result.returncode, result.stderr) == (0, "")


def test_the_services_run_what_the_procfile_runs():
    services = compose()["services"]
    processes = procfile()

    assert set(services) == set(processes)
    for name, service in services.items():
        assert check_command(service["command"]) == check_command(processes[name])
        if name != "release":
            assert service["depends_on"] == {
                "release": {"condition": "service_completed_successfully"}
            }


def test_the_containers_use_the_paths_of_the_nginx_site():
    """nginx on the host reads the uploads and static files the containers write."""
    site = site_text()
    (media_root,) = directives(block(site, "location /protected-media/"), "alias")
    (static_root,) = directives(block(site, "location /static/"), "alias")
    services = compose()["services"]

    for name, service in services.items():
        mounts = dict(volume.split(":")[:2] for volume in service["volumes"])
        assert mounts["../staticfiles"] == static_root.rstrip("/"), name
        assert static_root.startswith(SERVER_CHECKOUT)
        if name != "release":
            assert mounts[media_root.rstrip("/")] == media_root.rstrip("/"), name
            assert service["environment"]["MEDIA_ROOT"] == media_root.rstrip("/")
            assert service["read_only"] is True
            assert service["cap_drop"] == ["ALL"]
    # ../staticfiles, from deploy/, is the checkout's STATIC_ROOT.
    assert (DEPLOY / ".." / "staticfiles").resolve() == ROOT / "staticfiles"


def test_the_image_is_built_from_files_that_exist():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    build = compose()["services"]["web"]["build"]

    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    for line in dockerfile.splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            *sources, _target = line.split()[1:]
            for source in sources:
                assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which is missing"
    assert f"WORKDIR {SERVER_CHECKOUT}" in dockerfile
