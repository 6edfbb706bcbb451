"""Prefect flows of docclean. Importing this package sets quiet, robust Prefect defaults
(they apply only when the environment does not set them already)."""

import os

for _name, _value in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # The ephemeral server takes 10-20 s to start on a small machine; the default limit is tight.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}.items():
    os.environ.setdefault(_name, _value)
