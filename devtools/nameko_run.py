"""`nameko run` for the launcher's children, without eventlet's deprecation notice.

Importing eventlet warns that it is deprecated, so `make run` printed the same paragraph once per
service before any real log. That one warning is filtered by its text, which starts with a newline:
a `-W`/`PYTHONWARNINGS` entry cannot match it, as those strip the text and match from its start.
Every other warning still shows. Nameko's own command still monkey-patches before the service
modules are imported.

    python -m devtools.nameko_run --config config.yml services.intake.service:IntakeService
"""

import sys
import warnings

from nameko.cli.main import main

if __name__ == "__main__":
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
    sys.argv = ["nameko", "run", *sys.argv[1:]]
    main()
