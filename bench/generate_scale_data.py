"""python -m bench.generate_scale_data [--best-practices N …]: the scale database's rows.

See bench/scale_command.py for the options; `make bench` runs this on first use.
"""

import os
import sys

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apap_portal.settings")
    django.setup()
    # Only now: the command's modules import the models, which need Django set up.
    from bench.scale_command import Command

    Command().run_from_argv(["generate_scale_data", "generate_scale_data", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
