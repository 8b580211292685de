"""The media engine: WebRTC for hearings, forwarding encoded packets without re-encoding."""
