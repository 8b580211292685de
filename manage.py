#!/usr/bin/env python
"""Django's manage.py; `tribunal` is the same command installed as a console script."""

from hearing_server.cli import main

if __name__ == "__main__":
    main()
