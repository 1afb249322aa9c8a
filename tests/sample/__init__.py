"""The sample timeline's own checks (see conftest.py): a package, so that its conftest is not `conftest`."""
