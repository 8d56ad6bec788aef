"""``python -m gd_viewer``: the same as the ``gd-viewer`` command."""

from gd_viewer.app import main

raise SystemExit(main())
