"""`scripts/cluster [--dir var/cluster] [--https-port 8443] [--fresh] [--seed]`: start the
production topology on this machine and keep it running until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from hearing_server.cluster.run import Cluster, Ports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/cluster", description=__doc__)
    parser.add_argument("--dir", default="var/cluster", help="state, logs, TLS (var/cluster)")
    parser.add_argument("--https-port", type=int, default=8443)
    parser.add_argument("--database", default="tribunal_cluster")
    parser.add_argument("--fresh", action="store_true", help="drop the cluster's database first")
    parser.add_argument("--seed", action="store_true", help="load the demo data")
    args = parser.parse_args(argv)
    cluster = Cluster(
        Path(args.dir),
        Ports(https=args.https_port),
        database=args.database,
        fresh=args.fresh,
        seed=args.seed,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        print(cluster.describe(), flush=True)
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
