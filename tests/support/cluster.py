"""The `scripts/cluster` topology under test: start it on free ports in a temporary directory,
and talk to it as the end-to-end helpers expect a server to (`query`, `cli`, `hearing_id`).

Needs coturn and nginx (scripts/system-packages), PostgreSQL and Redis on this machine (the
cluster would start its own if absent), Chromium for the browsers.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from hearing_server.cluster import tls
from hearing_server.cluster.run import Cluster, Ports
from tests.support.require import need

# Forces every RTCPeerConnection of the page to relay through TURN (what a browser behind a
# strict NAT ends up doing), whatever configuration the page passes.
FORCE_RELAY_JS = """
(() => {
  const Native = window.RTCPeerConnection;
  function Relayed(config, ...rest) {
    return new Native(Object.assign({}, config || {}, { iceTransportPolicy: "relay" }), ...rest);
  }
  Relayed.prototype = Native.prototype;
  Object.setPrototypeOf(Relayed, Native);
  window.RTCPeerConnection = Relayed;
})();
"""

# The page's selected ICE candidate pair, both ends' candidate types, and its TURN servers.
ICE_JS = """async () => {
  const m = window.tribunalMedia;
  if (!m || !m.pc) return null;
  const stats = await m.pc.getStats();
  let pair = null;
  stats.forEach((r) => { if (r.type === "transport" && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId); });
  if (!pair) return null;
  const local = stats.get(pair.localCandidateId), remote = stats.get(pair.remoteCandidateId);
  return { local: local && local.candidateType, remote: remote && remote.candidateType,
           remoteAddress: remote && remote.address, bytes: pair.bytesReceived,
           policy: m.pc.getConfiguration().iceTransportPolicy };
}"""


def need_cluster_tools() -> None:
    for tool in ("turnserver", "nginx"):
        found = shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()
        need(bool(found), f"{tool} is not installed (scripts/system-packages)")


@dataclass
class ClusterServer:
    """The cluster as the e2e helpers see a server; `port` is one ASGI server's own port (the
    protocol clients of the tribunal connect there directly, the browsers through the proxy)."""

    cluster: Cluster
    demo: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.cluster.url

    @property
    def port(self) -> int:
        return self.cluster.ports.web[-1]

    @property
    def hearing_id(self) -> int:
        return next(c["hearings"][0] for c in self.demo["cases"] if c["hearings"])

    def cli(self, *args: str, timeout: float = 300) -> str:
        return self.cluster.cli(*args, timeout=timeout)

    def query(self, code: str):
        return json.loads(self.cli("shell", "-c", code).strip().splitlines()[-1])

    def chromium_args(self) -> tuple[str, ...]:
        """Chromium trusts exactly the proxy's key (a browser would trust the local CA)."""
        spki = tls.spki_sha256(self.cluster.tls_dir / "server.pem")
        return (f"--ignore-certificate-errors-spki-list={spki}",)


def start_cluster(directory: Path, database: str) -> ClusterServer:
    """A cluster of this run's own: its database and Redis database are named after the test
    process, so that two runs on one machine do not meet."""
    need_cluster_tools()
    cluster = Cluster(
        directory,
        Ports.free(),
        database=f"{database}_{os.getpid()}",
        redis_db=8 + os.getpid() % 8,
        fresh=True,
        seed=True,
        extra_env={"TRIBUNAL_MEDIA_HEARTBEAT": "2"},
    )
    server = ClusterServer(cluster)
    try:
        cluster.start()
        server.demo = cluster.demo
    except Exception:
        cluster.stop()
        raise
    return server


def stop_cluster(server: ClusterServer) -> None:
    """Stop the processes, then drop the run's database."""
    import psycopg

    server.cluster.stop()
    url = server.cluster.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{server.cluster.database}" WITH (FORCE)')
