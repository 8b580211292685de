/* The hearing's audio and video: one RTCPeerConnection to the media engine (docs/protocol.md,
 * section "Media"). No build step; loaded before hearing.js, which creates the client with
 * TribunalMedia.create(...) and feeds it the seat changes and media.* frames.
 *
 * Negotiation: the browser always offers. Sending sections first, in this order: microphone,
 * camera, screen (the screen section starts without a track; sharing fills it with replaceTrack,
 * no renegotiation). Then receive-only slots that the engine fills with the other people's
 * tracks, naming who is in which slot with media.layout. An ICE restart (connection failed,
 * network change) is a new RTCPeerConnection and a media.restart offer; a new WebSocket session
 * (reconnect) sends a fresh media.offer. Candidates trickle to the server once the answer is in.
 *
 * Observers (opts.publish false: the role may not "media.publish") only receive: no microphone or
 * camera is opened, the offer has receive-only slots and no sending section (the engine refuses
 * an observer's offer that sends), and there are no camera or screen controls.
 *
 * In the waiting room a party's media runs one way: the engine forwards it to the clerk and the
 * chair only (identity checked on camera) and fills none of the party's slots.
 *
 * The page (hearing.js) draws the bottom bar from this client's state (`cameraOn`, `sharing`,
 * `soundBlocked`...) and calls toggleCamera / toggleScreen / enableSound; `opts.changed()` is
 * called whenever that state changes. Tiles: speaker view (the active speaker, or a shared
 * screen, large; the others in a strip) or gallery; your own camera as a picture-in-picture.
 */
(function () {
  "use strict";
  // Receive slots: 6 microphones and 8 videos (6 cameras + 2 screen shares): a panel of three,
  // the clerk, both parties and an agent. Chromium's offer with these 17 sections, narrowed to
  // VP8/Opus and the engine's header extensions, is about 12 KB (the frame limit is 16 KB).
  const SLOTS = { audio: 6, video: 8 };
  const CODECS = { audio: "audio/opus", video: "video/vp8" };
  const EXTENSIONS = new Set([
    "urn:ietf:params:rtp-hdrext:sdes:mid",
    "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
  ]);
  // "tribunal.videoQuality" = "low" (phones on a weak network) asks the camera for 320x180 at 15 fps.
  // The device check's "weak connection" box sets it too.
  const camera = () => (localStorage.getItem("tribunal.videoQuality") === "low"
    ? { width: { ideal: 320 }, height: { ideal: 180 }, frameRate: { ideal: 15, max: 15 }, facingMode: "user" }
    : { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24, max: 30 }, facingMode: "user" });
  const SPEAKING_LEVEL = 0.03; // RTP audio level (0..1) above which someone counts as speaking
  const SPEAKER_POLL_MS = 400;
  const SPEAKER_HOLD_MS = 2000; // the speaker view changes at most every 2 s (no flicker, less work)
  const GIVE_UP = ["unknown_type", "forbidden", "invalid_frame"];
  const LIVE = ["open", "in_session", "paused"]; // the server refuses media otherwise
  const RESTART_GAP_MS = 2000;
  const ANSWER_TIMEOUT_MS = 15000;
  const AUDIO_ONLY_KEY = "tribunal.audioOnly";

  function el(tag, attrs, ...kids) {
    const n = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => (k === "onclick" ? (n.onclick = v) : n.setAttribute(k, v)));
    kids.forEach((k) => n.append(k));
    return n;
  }

  function play(media) {
    const started = media.play();
    return started ? started.then(() => true, () => false) : Promise.resolve(true);
  }

  /* Only VP8 and Opus are forwarded, and the engine reads three header extensions: offering
   * nothing else keeps the SDP small and the answer exact. */
  function narrow(transceiver, kind) {
    try {
      const codecs = RTCRtpReceiver.getCapabilities(kind).codecs.filter((c) => {
        const type = c.mimeType.toLowerCase();
        return type === CODECS[kind] || type.endsWith("/rtx");
      });
      if (transceiver.setCodecPreferences) transceiver.setCodecPreferences(codecs);
      if (transceiver.setHeaderExtensionsToNegotiate) {
        transceiver.setHeaderExtensionsToNegotiate(transceiver.getHeaderExtensionsToNegotiate().map(
          (e) => Object.assign({}, e, { direction: EXTENSIONS.has(e.uri) ? e.direction : "stopped" })));
      }
    } catch (e) {
      console.warn("media: keeping the browser's default codecs", e);
    }
    return transceiver;
  }

  function create(opts) {
    const T = opts.strings, M = T.media;
    const publish = opts.publish !== false;
    const $ = (id) => document.getElementById(id);
    const local = { mic: null, camera: null, screen: null, audioOnly: localStorage.getItem(AUDIO_ONLY_KEY) === "1" };
    const s = {
      active: false, starting: null, disabled: false, pc: null, tx: null, slots: new Map(), layout: [],
      pending: null, refs: new Set(), queue: [], answered: false, session: false, failures: 0,
      lastRestart: 0, timers: {}, you: null, soundBlocked: false, view: "speaker", speaker: null,
      speakerSince: 0, waiting: false, sinkId: "",
    };
    const changed = () => { if (opts.changed) opts.changed(); };
    const preview = el("video", { class: "preview", autoplay: "", playsinline: "" });
    preview.muted = true;

    function send(type, fields) {
      const ref = opts.send(type, fields);
      if (ref) s.refs.add(ref);
      return ref;
    }

    function timer(name, fn, ms) {
      clearTimeout(s.timers[name]);
      s.timers[name] = fn ? setTimeout(fn, ms) : null;
    }

    function setState(state) {
      $("media-state").textContent = M.states[state] || state;
      $("media-state").dataset.state = state;
    }

    // ---- local devices -----------------------------------------------------------------------
    async function openDevices() {
      if (!publish) return; // observers receive only: no getUserMedia at all
      const md = navigator.mediaDevices;
      if (live(local.mic) || live(local.camera)) return; // adopted from the device check
      if (!md || !md.getUserMedia) return opts.notice(M.noDevices);
      try {
        const stream = await md.getUserMedia({ audio: true, video: local.audioOnly ? false : camera() });
        local.mic = stream.getAudioTracks()[0] || null;
        local.camera = stream.getVideoTracks()[0] || null;
      } catch (e) {
        try {
          local.mic = (await md.getUserMedia({ audio: true })).getAudioTracks()[0] || null;
          if (!local.audioOnly) opts.notice(M.micOnly);
        } catch (e2) {
          if (e2 && e2.name === "NotAllowedError" && opts.blocked) opts.blocked(M.blocked);
          else opts.notice(M.noDevices);
        }
      }
    }

    function live(track) { return !!track && track.readyState === "live"; }

    /* The device check's stream and choices: its tracks are used as they are. */
    function adopt(choice) {
      if (!choice) return;
      if (choice.stream) {
        local.mic = choice.stream.getAudioTracks()[0] || null;
        local.camera = choice.stream.getVideoTracks()[0] || null;
        if (local.camera && local.audioOnly) { local.camera.stop(); local.camera = null; } // chose audio only before
        local.audioOnly = !local.camera;
      }
      s.sinkId = choice.speaker || "";
    }

    function stopDevices() {
      ["mic", "camera", "screen"].forEach((k) => { if (local[k]) local[k].stop(); local[k] = null; });
      preview.srcObject = null;
    }

    function applyMute() {
      if (local.mic) local.mic.enabled = !(s.you && s.you.muted);
    }

    async function replace(source, track) {
      if (s.tx && s.tx[source]) await s.tx[source].sender.replaceTrack(track);
    }

    async function toggleAudioOnly() {
      local.audioOnly = !local.audioOnly;
      localStorage.setItem(AUDIO_ONLY_KEY, local.audioOnly ? "1" : "0");
      if (local.audioOnly) {
        if (local.camera) local.camera.stop();
        local.camera = null;
        await replace("camera", null);
      } else {
        try {
          local.camera = (await navigator.mediaDevices.getUserMedia({ video: camera() })).getVideoTracks()[0];
          await replace("camera", local.camera);
        } catch (e) {
          local.audioOnly = true;
          opts.notice(M.micOnly);
        }
      }
      render();
    }

    async function toggleScreen() {
      if (local.screen) return stopScreen();
      try {
        const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { max: 15 } }, audio: false });
        local.screen = stream.getVideoTracks()[0];
      } catch (e) {
        return opts.notice(M.shareFailed);
      }
      local.screen.contentHint = "detail";
      local.screen.addEventListener("ended", stopScreen);
      await replace("screen", local.screen);
      render();
    }

    async function stopScreen() {
      const track = local.screen;
      local.screen = null;
      if (track) track.stop();
      await replace("screen", null);
      render();
    }

    // ---- the peer connection -------------------------------------------------------------------
    function addTransceivers(pc) {
      const sending = (source, kind) => narrow(pc.addTransceiver(local[source] || kind, { direction: "sendonly" }), kind);
      const tx = publish ? { mic: sending("mic", "audio"), camera: sending("camera", "video"), screen: sending("screen", "video") } : {};
      const slots = [];
      ["audio", "video"].forEach((kind) => {
        for (let i = 0; i < SLOTS[kind]; i++) slots.push(narrow(pc.addTransceiver(kind, { direction: "recvonly" }), kind));
      });
      return { tx, slots };
    }

    function slotElement(track) {
      const media = el(track.kind, { autoplay: "", playsinline: "" });
      media.srcObject = new MediaStream([track]);
      if (track.kind === "video") media.muted = true;
      else {
        $("media-audio").append(media);
        if (s.sinkId && media.setSinkId) media.setSinkId(s.sinkId).catch(() => {});
      }
      play(media).then((ok) => { if (!ok && track.kind === "audio") soundBlocked(); });
      return media;
    }

    function soundBlocked() {
      s.soundBlocked = true;
      changed();
    }

    async function enableSound() {
      const results = await Promise.all([...s.slots.values()].filter((x) => x.kind === "audio").map((x) => play(x.el)));
      s.soundBlocked = !results.every(Boolean);
      changed();
    }

    async function connect(kind) {
      closePc();
      const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle", iceServers: opts.iceServers || [] });
      const { tx, slots } = addTransceivers(pc);
      Object.assign(s, { pc, tx, queue: [], answered: false, pending: null });
      pc.onicecandidate = (ev) => localCandidate(pc, ev.candidate);
      pc.onconnectionstatechange = () => connectionChanged(pc);
      await pc.setLocalDescription(await pc.createOffer());
      if (s.pc !== pc) return;
      slots.forEach((t) => s.slots.set(t.mid, { kind: t.receiver.track.kind, el: slotElement(t.receiver.track), receiver: t.receiver }));
      const sources = publish ? { [tx.mic.mid]: "mic", [tx.camera.mid]: "camera", [tx.screen.mid]: "screen" } : {};
      s.pending = send(kind, { sdp: pc.localDescription.sdp, sources }) || null;
      if (s.pending) timer("answer", () => failed(), ANSWER_TIMEOUT_MS);
      setState("connecting");
      render();
    }

    function closePc() {
      const pc = s.pc;
      Object.assign(s, { pc: null, tx: null, pending: null, queue: [], answered: false });
      timer("answer", null);
      s.slots.forEach((slot) => { slot.el.srcObject = null; slot.el.remove(); });
      s.slots.clear();
      if (!pc) return;
      pc.onicecandidate = pc.onconnectionstatechange = null;
      pc.close();
    }

    /* aiortc takes UDP candidates only; TCP ones would only cost frames. End of candidates is null. */
    function localCandidate(pc, c) {
      if (pc !== s.pc) return;
      if (c && / tcp /i.test(c.candidate)) return;
      const init = c && c.candidate
        ? { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex, usernameFragment: c.usernameFragment }
        : null;
      if (s.answered) send("media.candidate", { candidate: init });
      else s.queue.push(init);
    }

    async function answer(f) {
      const pc = s.pc;
      if (!pc || !f.ref || f.ref !== s.pending) return;
      s.pending = null;
      timer("answer", null);
      try {
        await pc.setRemoteDescription({ type: "answer", sdp: f.sdp });
      } catch (e) {
        console.warn("media: the answer was not applied", e);
        return failed();
      }
      if (pc !== s.pc) return;
      s.answered = s.session = true;
      s.queue.splice(0).forEach((c) => send("media.candidate", { candidate: c }));
    }

    function connectionChanged(pc) {
      if (pc !== s.pc) return;
      setState(pc.connectionState);
      if (pc.connectionState === "connected") s.failures = 0;
      if (pc.connectionState === "failed") failed();
    }

    /* Try again with a new peer connection, backing off while it keeps failing. */
    function failed() {
      s.failures += 1;
      restart();
    }

    function restart() {
      if (!s.active || s.disabled || s.starting || !opts.connected()) return;
      const gap = Math.min(30000, RESTART_GAP_MS * 2 ** Math.max(0, Math.min(s.failures - 1, 4)));
      const wait = s.lastRestart + gap - Date.now();
      if (wait > 0) return timer("restart", restart, wait);
      timer("restart", null);
      s.lastRestart = Date.now();
      connect(s.session ? "media.restart" : "media.offer").catch((e) => console.warn("media: restart failed", e));
    }

    function refused(f) {
      if (f.ref !== s.pending) return; // a late candidate or leave: the offer's fate decides
      s.pending = null;
      timer("answer", null);
      if (f.code === "no_session") s.session = false;
      if (GIVE_UP.includes(f.code)) {
        s.disabled = true;
        closePc();
        setState("closed");
        opts.notice(M.unavailable);
        return;
      }
      failed();
    }

    function serverState(state) {
      if (["failed", "closed", "ice_timeout"].includes(state) && s.pc && !s.pending) failed();
    }

    // ---- start, stop, and what hearing.js calls ------------------------------------------------
    async function start() {
      s.active = true;
      $("media-panel").hidden = false;
      setState("new");
      timer("speaker", pollSpeaker, SPEAKER_POLL_MS);
      s.starting = openDevices();
      await s.starting;
      s.starting = null;
      if (!s.active) return stopDevices();
      applyMute();
      render();
      if (opts.connected()) await connect("media.offer");
    }

    function stop(tellServer) {
      if (!s.active) return;
      if (tellServer && s.pc) send("media.leave", {});
      Object.assign(s, { active: false, layout: [], session: false });
      Object.keys(s.timers).forEach((k) => timer(k, null));
      closePc();
      stopDevices();
      $("media-panel").hidden = true;
      setState("closed");
      changed();
    }

    /* Media runs while you are admitted to a room of a live hearing, or wait in its waiting room
     * (one way, to the clerk and the chair; not for observers, who would only receive nothing).
     * `you`: your seat (null when you left); `fresh`: a new WebSocket session was welcomed. */
    function sync(you, hearing, fresh) {
      s.you = you;
      const live = !!hearing && LIVE.includes(hearing.status);
      const admitted = !!you && you.admission === "admitted" && !!you.room && you.room !== "waiting";
      const waiting = !!you && you.admission === "waiting" && you.room === "waiting" && publish;
      const wanted = live && (admitted || waiting);
      const admittedNow = s.waiting && !waiting && admitted && s.active;
      if (s.waiting !== waiting) { s.waiting = waiting; $("media-grid").dataset.waiting = String(waiting); }
      // Admitted from the waiting room: a fresh peer connection, so that the main room (and its
      // recording) gets this person's media from now on, not what the waiting room had queued.
      if (admittedNow && !s.starting && opts.connected()) {
        s.session = false; // a new offer: the engine closes the waiting room's peer connection
        connect("media.offer").catch((e) => console.warn("media:", e));
      }
      if (fresh) Object.assign(s, { disabled: false, session: false, failures: 0, lastRestart: 0 });
      if (wanted && !s.active) start().catch((e) => console.warn("media: could not start", e));
      else if (!wanted && s.active) stop(true);
      else if (wanted && fresh && !s.starting) connect("media.offer").catch((e) => console.warn("media:", e));
      applyMute();
      if (s.active) render();
    }

    function handle(f) {
      if (f.type === "error") {
        if (!s.refs.has(f.ref)) return false;
        refused(f);
        return true;
      }
      if (!f.type.startsWith("media.")) return false;
      if (f.type === "media.answer") answer(f);
      else if (f.type === "media.layout") { s.layout = f.slots || []; if (s.active) render(); }
      else if (f.type === "media.state") serverState(f.state);
      else if (f.type === "media.candidate" && s.pc && f.candidate) s.pc.addIceCandidate(f.candidate).catch(() => {});
      return true;
    }

    // ---- rendering -----------------------------------------------------------------------------
    function render() {
      renderTiles();
      changed();
    }

    function setView(view) {
      s.view = view === "gallery" ? "gallery" : "speaker";
      $("media-grid").dataset.view = s.view;
      if (s.active) renderTiles();
    }

    /* The loudest remote microphone above SPEAKING_LEVEL, held for at least SPEAKER_HOLD_MS. */
    function pollSpeaker() {
      timer("speaker", pollSpeaker, SPEAKER_POLL_MS);
      let best = null, level = SPEAKING_LEVEL;
      s.layout.forEach((slot) => {
        const x = slot.mid && slot.source === "mic" && s.slots.get(slot.mid);
        if (!x || !x.receiver || !x.receiver.getSynchronizationSources) return;
        const src = x.receiver.getSynchronizationSources()[0];
        if (src && src.audioLevel > level) { level = src.audioLevel; best = String(slot.participant_id); }
      });
      if (!best || best === s.speaker || Date.now() - s.speakerSince < SPEAKER_HOLD_MS) return;
      s.speaker = best;
      s.speakerSince = Date.now();
      renderTiles();
    }

    /* Speaker view: a shared screen, else the active speaker, first and large; then the others;
     * your own camera last, drawn as a picture-in-picture. Gallery: everyone the same size. */
    function renderTiles() {
      const people = new Map();
      s.layout.forEach((slot) => {
        if (!slot.mid || slot.participant_id == null || !slot.source) return;
        const id = String(slot.participant_id);
        if (!people.has(id)) people.set(id, { id, name: slot.name || "", sources: {} });
        people.get(id).sources[slot.source] = slot.mid;
      });
      const screens = [], cameras = [];
      const waiting = [];
      people.forEach((p) => {
        if (p.sources.screen) screens.push(tile(p, "screen"));
        const t = tile(p, "camera");
        if (t.classList.contains("waiting")) waiting.push(t); // the clerk's view into the waiting room
        else if (p.id === s.speaker) { t.classList.add("speaking"); cameras.unshift(t); } else cameras.push(t);
      });
      cameras.push(...waiting);
      const grid = $("media-grid");
      const others = [...screens, ...cameras];
      if (others.length) others[0].classList.add("main");
      grid.replaceChildren(...others, selfTile(!others.length));
      grid.dataset.count = String(others.length);
      grid.dataset.view = s.view;
      grid.querySelectorAll("video").forEach(play);
    }

    function caption(name, seat) {
      const box = el("figcaption", {}, el("span", { class: "who" }, name));
      if (seat && seat.role) box.append(el("span", { class: "role" }, T.roles[seat.role] || seat.role));
      if (seat && seat.room === "waiting") box.append(el("span", { class: "role" }, T.rooms.waiting));
      if (seat && seat.muted) box.append(el("span", { class: "muted", title: T.muted }, "🔇"));
      return box;
    }

    function placeholder(name) {
      return el("div", { class: "avatar", "aria-hidden": "true" }, (name || "?").trim().charAt(0));
    }

    function tile(p, source) {
      const seat = opts.seat(Number(p.id));
      const name = (seat && seat.name) || p.name;
      const slot = p.sources[source] && s.slots.get(p.sources[source]);
      const box = el("figure", { class: "tile " + source, "data-participant": p.id, "data-source": source });
      if (seat && seat.room === "waiting") box.classList.add("waiting");
      box.append(slot ? slot.el : placeholder(name));
      if (!p.sources.mic && source === "camera") box.classList.add("no-mic");
      box.append(source === "screen" ? caption(M.screenOf.replace("%(name)s", name)) : caption(name, seat));
      return box;
    }

    function selfTile(alone) {
      const you = s.you || {};
      const box = el("figure", { class: "tile camera self" + (alone ? " alone" : ""), "data-participant": String(opts.userId), "data-source": "camera" });
      if (local.camera) {
        if (!preview.srcObject || preview.srcObject.getVideoTracks()[0] !== local.camera) preview.srcObject = new MediaStream([local.camera]);
        box.append(preview);
      } else {
        preview.srcObject = null;
        box.append(placeholder(you.name));
      }
      box.append(caption((you.name || "") + " (" + T.you + ")", you));
      return box;
    }

    // ---- for diagnostics and tests -------------------------------------------------------------
    async function inbound() {
      if (!s.pc) return [];
      const out = [];
      (await s.pc.getStats()).forEach((r) => {
        if (r.type !== "inbound-rtp") return;
        out.push({ mid: r.mid, kind: r.kind, framesDecoded: r.framesDecoded || 0,
          packetsReceived: r.packetsReceived || 0, totalSamplesReceived: r.totalSamplesReceived || 0 });
      });
      return out;
    }

    window.addEventListener("online", () => { s.failures = 0; restart(); });
    if (navigator.connection && navigator.connection.addEventListener)
      navigator.connection.addEventListener("change", () => { s.failures = 0; restart(); });

    return {
      sync, handle, stop, restart, inbound, adopt, setView, toggleCamera: toggleAudioOnly, toggleScreen, enableSound,
      get cameraOn() { return !!local.camera; },
      get sharing() { return !!local.screen; },
      get canShare() { return publish && !!(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia) && !/Android|iPhone|iPad/i.test(navigator.userAgent); },
      get soundBlocked() { return s.soundBlocked; },
      get view() { return s.view; },
      get speaker() { return s.speaker; },
      get state() { return $("media-state").dataset.state || "closed"; },
      get pc() { return s.pc; },
      get layout() { return s.layout; },
      get active() { return s.active; },
      get local() { return local; },
      get publish() { return publish; },
    };
  }

  window.TribunalMedia = { create, SLOTS };
})();
