"""nginx's and coturn's configuration for the cluster on one machine (docker/ has the compose
versions: the same directives, other addresses)."""

from __future__ import annotations

import os
from pathlib import Path

NGINX = """\
# Written by scripts/cluster; the compose version is docker/nginx.conf.
worker_processes 1;
{user}
pid {run}/nginx.pid;
error_log {logs}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {logs}/nginx-access.log;
    client_body_temp_path {run}/nginx-body;
    proxy_temp_path {run}/nginx-proxy;
    fastcgi_temp_path {run}/nginx-fastcgi;
    uwsgi_temp_path {run}/nginx-uwsgi;
    scgi_temp_path {run}/nginx-scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    # A server that does not answer is skipped for fail_timeout; requests and WebSocket
    # handshakes go to the other one.
    upstream tribunal {{
{upstreams}
    }}
    server {{
        listen {listen}:{https_port} ssl http2;
        server_name {server_name};
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        client_max_body_size {max_body};
        location /static/ {{
            alias {static_root}/;
            expires 1h;
        }}
        location / {{
            proxy_pass http://tribunal;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            # This proxy is the only hop the servers believe (TRIBUNAL_BEHIND_PROXY=1): it
            # replaces whatever X-Forwarded-For the client sent.
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-Port $server_port;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_connect_timeout 2s;
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"""

TURN = """\
# Written by scripts/cluster; the compose version is docker/turnserver.conf.
listening-ip={listen}
listening-port={port}
relay-ip={relay_ip}
min-port={relay_min}
max-port={relay_max}
realm={realm}
# TURN REST API: credentials made by the servers from this shared secret, valid until the expiry
# in their username (signaling/ice.py).
use-auth-secret
static-auth-secret={secret}
fingerprint
no-tls
no-dtls
no-cli
no-tcp-relay
no-multicast-peers
no-software-attribute
{peers}
log-file={logs}/turnserver.log
simple-log
verbose
pidfile={run}/turnserver.pid
userdb={run}/turndb
"""


def nginx_conf(
    *,
    run: Path,
    logs: Path,
    listen: str,
    https_port: int,
    server_name: str,
    upstreams: list[str],
    cert: Path,
    key: Path,
    static_root: Path,
    max_body: str,
) -> str:
    # As root, nginx's workers would drop to `nobody`, who cannot read a private cluster directory:
    # the cluster on one machine runs as whoever starts it.
    user = "user root root;" if os.geteuid() == 0 else ""
    return NGINX.format(
        user=user,
        run=run,
        logs=logs,
        listen=listen,
        https_port=https_port,
        server_name=server_name,
        upstreams="\n".join(
            f"        server {address} max_fails=1 fail_timeout=5s;" for address in upstreams
        ),
        cert=cert,
        key=key,
        static_root=static_root,
        max_body=max_body,
    )


def turn_conf(
    *,
    run: Path,
    logs: Path,
    listen: str,
    port: int,
    relay_ip: str,
    relay_range: tuple[int, int],
    secret: str,
    realm: str,
    loopback_peers: bool,
) -> str:
    # Peers on loopback are refused by coturn unless allowed: on one machine the media workers
    # listen there. A deployment relays only to the media workers' public addresses.
    peers = "allow-loopback-peers\nallowed-peer-ip=127.0.0.1" if loopback_peers else ""
    return TURN.format(
        run=run,
        logs=logs,
        listen=listen,
        port=port,
        relay_ip=relay_ip,
        relay_min=relay_range[0],
        relay_max=relay_range[1],
        secret=secret,
        realm=realm,
        peers=peers,
    )
