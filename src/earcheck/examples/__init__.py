"""Example case files, packaged so that the web UI and tests can load them."""
