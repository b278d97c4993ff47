"""The `briefqa` command line and the demo."""
