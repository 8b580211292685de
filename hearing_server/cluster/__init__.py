"""The production topology as processes on one machine (`scripts/cluster`), for tests and small
sites: PostgreSQL and Redis (started if absent), two ASGI servers, two media workers, a task
worker, the scheduler, coturn and nginx as the TLS proxy from Debian's packages, with a local CA.

roles.py names each role once (the compose file and this are kept in step by a test);
tls.py makes the local CA and the server certificate; conf.py writes nginx's and coturn's
configuration; run.py starts, watches and stops the processes; __main__.py is the command.
"""
