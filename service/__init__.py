"""What users touch: settings, answers, the HTTP API and the `briefqa` command line."""
